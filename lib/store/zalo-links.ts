/**
 * DynamoDB adapter of the `ZaloLinkStore` port: finds the eSMS send (SMSID) of a Zalo msg_id through the
 * sparse GSI on `zmsg` (eSMS `partnerids`). The link is made at read time, so it forms whichever of the
 * two arrives first.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { parseMessagePk } from '../table/esms';
import { ZALO_MSG_INDEX } from '../table/names';
import type { ZaloLinkStore } from '../zalo/ports';
import { storageFailure } from './errors';

const IndexKeySchema = v.looseObject({ pk: v.string() });

export const buildZaloLinkStore = (doc: DynamoDBDocumentClient, table: string): ZaloLinkStore => ({
  async smsIdsOf(zaloMsgId) {
    try {
      const result = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: ZALO_MSG_INDEX.name,
        KeyConditionExpression: '#z = :z',
        ExpressionAttributeNames: { '#z': ZALO_MSG_INDEX.attribute },
        ExpressionAttributeValues: { ':z': zaloMsgId },
      }));
      // The index holds eSMS message items only; their key carries the SMSID.
      const ids = (result.Items ?? []).map((item) => parseMessagePk(v.parse(IndexKeySchema, item).pk)?.smsId);
      return [...new Set(ids.filter((id): id is string => id !== undefined))].sort();
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
