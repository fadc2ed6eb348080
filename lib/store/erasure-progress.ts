/** The ErasureProgressStore port (lib/esms/ports.ts) over the messages table: one item beside the erasure's mark. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { ErasureProgressStore } from '../esms/ports';
import { ERASURE_MARK_DAYS, ERASURE_PROGRESS_KIND, ErasureProgressSchema, erasureProgressKey } from '../table/esms';
import { TTL_ATTRIBUTE } from '../table/names';
import { storageCall } from './errors';

export const buildErasureProgressStore = (doc: DynamoDBDocumentClient, table: string, now: () => number = Date.now): ErasureProgressStore => ({
  async load(tenant, phone) {
    const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: erasureProgressKey(tenant, phone.normalised), ConsistentRead: true })));
    if (!Item) return undefined;
    const { step, cursor, started } = v.parse(ErasureProgressSchema, Item);
    return { step, cursor, started };
  },
  async save(tenant, phone, { step, cursor, started }) {
    await storageCall(() => doc.send(new PutCommand({
      TableName: table,
      Item: {
        ...erasureProgressKey(tenant, phone.normalised), kind: ERASURE_PROGRESS_KIND, step, started,
        ...(cursor !== undefined && { cursor }), [TTL_ATTRIBUTE]: Math.floor(now() / 1000) + ERASURE_MARK_DAYS * 86_400,
      },
    })));
  },
  async clear(tenant, phone) {
    await storageCall(() => doc.send(new DeleteCommand({ TableName: table, Key: erasureProgressKey(tenant, phone.normalised) })));
  },
});
