/**
 * DynamoDB adapter of the `OAuthFlowStore` port (lib/zalo-oa/ports.ts): one item per started OA
 * connection and one per issued connection link, each consumed by one conditional delete (single use) and
 * expired by TTL otherwise.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import { oauthFlowKey, OAuthFlowSchema, oauthLinkKey } from '../table/oauth';
import type { OAuthFlowStore } from '../zalo-oa/ports';
import { isConditionFailure, storageFailure } from './errors';

export const buildOAuthFlowStore = (doc: DynamoDBDocumentClient, table: string): OAuthFlowStore => ({
  async put(flow) {
    try {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { ...oauthFlowKey(flow.nonce), kind: KIND.oauthFlow, ...flow, [TTL_ATTRIBUTE]: Math.ceil(flow.validUntil / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async consume(nonce, browser, now) {
    try {
      const result = await doc.send(new DeleteCommand({
        TableName: table,
        Key: oauthFlowKey(nonce),
        // Another browser's attempt leaves the flow in place for the browser that started it.
        ConditionExpression: 'attribute_exists(pk) AND browser = :browser AND validUntil > :now',
        ExpressionAttributeValues: { ':browser': browser, ':now': now },
        ReturnValues: 'ALL_OLD',
      }));
      return result.Attributes ? v.parse(OAuthFlowSchema, result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw storageFailure(error);
    }
  },

  async putLink(link) {
    try {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { ...oauthLinkKey(link.nonce), kind: KIND.oauthLink, ...link, [TTL_ATTRIBUTE]: Math.ceil(link.validUntil / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async consumeLink(nonce, now) {
    try {
      await doc.send(new DeleteCommand({
        TableName: table, Key: oauthLinkKey(nonce),
        ConditionExpression: 'attribute_exists(pk) AND validUntil > :now', ExpressionAttributeValues: { ':now': now },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storageFailure(error);
    }
  },
});
