/**
 * DynamoDB adapter of the `BackfillJobStore` port (lib/zalo-oa/ports.ts): one item per OA under the
 * `FBACKFILL` partition (lib/table/oauth.ts), so the scheduled run finds the pending ones with one Query.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { KIND } from '../table/names';
import { BACKFILL_PK, backfillJobKey, BackfillJobSchema, type BackfillJob } from '../table/oauth';
import type { BackfillJobStore } from '../zalo-oa/ports';
import { storageCall } from './errors';
import { queryAll } from './query-all';

export const buildBackfillJobStore = (doc: DynamoDBDocumentClient, table: string): BackfillJobStore => ({
  async start(tenant, oaId, now) {
    const job: BackfillJob = { kind: KIND.followerBackfill, tenant, oaId, asOf: now, offset: 0, merged: 0, done: false, updatedAt: now };
    await storageCall(() => doc.send(new PutCommand({ TableName: table, Item: { ...backfillJobKey(tenant, oaId), ...job } })));
    return job;
  },

  async get(tenant, oaId) {
    const { Item: item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: backfillJobKey(tenant, oaId), ConsistentRead: true })));
    return item ? v.parse(BackfillJobSchema, item) : undefined;
  },

  progress(job) {
    return storageCall(async () => {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { ...backfillJobKey(job.tenant, job.oaId), ...job },
        // A restart (a reconnection, the admin route) sets a new asOf: this run's pages belong to the old one.
        ConditionExpression: 'asOf = :asOf',
        ExpressionAttributeValues: { ':asOf': job.asOf },
      }));
      return true;
    }, () => false);
  },

  async pending() {
    const items = await queryAll(doc, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'done = :no',
      ExpressionAttributeValues: { ':pk': BACKFILL_PK, ':no': false },
      ConsistentRead: true,
    });
    return items.map((item) => v.parse(BackfillJobSchema, item));
  },
});
