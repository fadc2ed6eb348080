/**
 * DynamoDB adapter of the `ZaloLinkStore` port: finds the eSMS send (SMSID) of a Zalo msg_id through the
 * sparse GSI on `zmsg` (eSMS `partnerids`). The link is made at read time, so it forms whichever of the
 * two arrives first.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { ZALO_MSG_INDEX } from '../table/names';
import type { ZaloLinkStore } from '../zalo/ports';
import { storageFailure } from './errors';

// The eSMS key is lib/esms's to define (lib/esms/stored.ts): this reads its SMSID back.
const ESMS_PK = /^ESMS#(.+)$/;
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
      const ids = (result.Items ?? []).map((item) => ESMS_PK.exec(v.parse(IndexKeySchema, item).pk)?.[1]);
      return [...new Set(ids.filter((id): id is string => id !== undefined))].sort();
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
