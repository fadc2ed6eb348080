/**
 * DynamoDB adapter of the `TokenStore` port (lib/zalo/ports.ts): connected OAs' tokens, already sealed by
 * the caller (this file never sees a plaintext token), keyed as lib/table/oauth.ts says. `ver` makes a
 * refresh a compare-and-swap: a refresh token is single-use, so a stale writer must never overwrite the
 * pair another writer just stored.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { KIND } from '../table/names';
import { OAUTH_PK, oauthTokenKey, TokenRecordSchema, type NewTokens } from '../table/oauth';
import type { TokenStore } from '../zalo/ports';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

/** Sets every field of the record and the kind, and bumps `ver`. */
const update = (record: NewTokens) => {
  const fields = placeholders(Object.entries(record), 'a');
  return {
    UpdateExpression: `SET ${['#kind = :kind', ...fields.assignments].join(', ')} ADD #ver :one`,
    ExpressionAttributeNames: { '#kind': 'kind', '#ver': 'ver', ...fields.names },
    ExpressionAttributeValues: { ':kind': KIND.oauth, ':one': 1, ...fields.values },
  };
};

export const buildTokenStore = (doc: DynamoDBDocumentClient, table: string): TokenStore => ({
  async save(record) {
    try {
      await doc.send(new UpdateCommand({ TableName: table, Key: oauthTokenKey(record.oaId), ...update(record) }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async replace(record, expectedVer) {
    const { ExpressionAttributeValues, ...rest } = update(record);
    try {
      await doc.send(new UpdateCommand({
        TableName: table,
        Key: oauthTokenKey(record.oaId),
        ...rest,
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':expected': expectedVer },
        ConditionExpression: '#ver = :expected',
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storageFailure(error);
    }
  },

  async get(oaId) {
    try {
      const item = (await doc.send(new GetCommand({ TableName: table, Key: oauthTokenKey(oaId), ConsistentRead: true }))).Item;
      return item ? v.parse(TokenRecordSchema, item) : undefined;
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async expiringBefore(before) {
    const items = await queryAll(doc, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'accessExpiresAt < :before',
      ExpressionAttributeValues: { ':pk': OAUTH_PK, ':before': before },
      ConsistentRead: true,
    });
    return items.map((item) => v.parse(TokenRecordSchema, item));
  },
});
