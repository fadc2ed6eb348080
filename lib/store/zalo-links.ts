/**
 * DynamoDB adapter of the `ZaloLinkStore` port: finds the eSMS send (SMSID) of a Zalo msg_id through the
 * sparse GSI on `zmsg` (eSMS `partnerids`). The link is made at read time, so it forms whichever of the
 * two arrives first. The index's hash key is Zalo's raw msg_id, shared by every tenant: only the tenant's
 * own messages (their key starts with its tenant) are kept, so another tenant's SMSID never shows.
 * The other way, the tenant's tracking pointers (lib/table/zalo.ts `trackingKey`) name the msg_ids whose
 * events echoed an eSMS RequestId as `tracking_id`.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { parseMessagePk } from '../table/esms';
import { ZALO_MSG_INDEX } from '../table/names';
import { TRACKING_SK_PREFIX, TrackingItemSchema, trackingPk } from '../table/zalo';
import type { ZaloLinkStore } from '../zalo/ports';
import { storageFailure } from './errors';

const IndexKeySchema = v.looseObject({ pk: v.string() });

export const buildZaloLinkStore = (doc: DynamoDBDocumentClient, table: string): ZaloLinkStore => ({
  async smsIdsOf(tenant, zaloMsgId) {
    const ids = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const result = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: ZALO_MSG_INDEX.name,
          KeyConditionExpression: '#z = :z',
          ExpressionAttributeNames: { '#z': ZALO_MSG_INDEX.attribute },
          ExpressionAttributeValues: { ':z': zaloMsgId },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }));
        // The index holds eSMS message items only; their key carries the tenant and the SMSID.
        for (const item of result.Items ?? []) {
          const key = parseMessagePk(v.parse(IndexKeySchema, item).pk);
          if (key?.tenant === tenant) ids.add(key.smsId);
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      throw storageFailure(error);
    }
    return [...ids].sort();
  },

  async msgIdsOfTracking(tenant, trackingId, limit) {
    try {
      const result = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':pk': trackingPk(tenant, trackingId), ':m': TRACKING_SK_PREFIX },
        Limit: limit,
      }));
      return (result.Items ?? []).map((item) => v.parse(TrackingItemSchema, item).msgId);
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
