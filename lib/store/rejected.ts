/**
 * The rejected log (layout: lib/table/rejected.ts): every request refused as malformed (not forged, not an
 * unknown token) is kept raw with the reason, so it can be replayed once the parser learns the shape.
 * Items expire by TTL.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { RejectedLog } from '../replay/ports';
import { decodeCursor, encodeCursor } from '../table/cursor';
import { DEFAULT_TENANT, KIND, TTL_ATTRIBUTE } from '../table/names';
import { boundedRaw, isRejectedId, MAX_REJECTED_RAW_BYTES, rejectedDayPk, rejectedKey, RejectedItemSchema, type RejectedItem } from '../table/rejected';
import { vietnamDay } from '../time';
import { storageFailure } from './errors';
import { queryPage, tableKey } from './query-all';

/** A page of the rejected log stays well inside a Lambda answer (6 MB) whatever the size of the raw bodies. */
const LIST_MAX_BYTES = 4 * 1024 * 1024;

export const buildRejectedStore = (doc: DynamoDBDocumentClient, table: string, retentionDays: number): RejectedLog => ({
  async add({ tenant = DEFAULT_TENANT, ...rejected }) {
    const item: RejectedItem & { [TTL_ATTRIBUTE]: number } = {
      pk: rejectedDayPk(tenant, vietnamDay(rejected.receivedAt)),
      sk: `${new Date(rejected.receivedAt).toISOString()}#${randomUUID().slice(0, 8)}`,
      kind: KIND.rejected,
      tenant,
      ...rejected,
      ...boundedRaw(rejected.raw, MAX_REJECTED_RAW_BYTES[rejected.source]),
      [TTL_ATTRIBUTE]: Math.floor(rejected.receivedAt / 1000) + retentionDays * 86_400,
    };
    try {
      await doc.send(new PutCommand({ TableName: table, Item: item }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async get(tenant, id) {
    if (!isRejectedId(id)) return undefined;
    try {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: rejectedKey(tenant, id), ConsistentRead: true }));
      return Item ? v.parse(RejectedItemSchema, Item) : undefined;
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async markReplayed(tenant, id, outcome, at) {
    try {
      await doc.send(new UpdateCommand({
        TableName: table, Key: rejectedKey(tenant, id),
        UpdateExpression: 'SET replayedAt = :at, replayOutcome = :outcome',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':outcome': outcome },
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async listDay(tenant, day, limit, cursor) {
    const pk = rejectedDayPk(tenant, day);
    const start = decodeCursor(cursor, (key) => key.pk === pk);
    const page = await queryPage(doc, {
      TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false,
    }, limit, start, tableKey, LIST_MAX_BYTES);
    return { items: page.items.map((item) => v.parse(RejectedItemSchema, item)), next: encodeCursor(page.next) };
  },
});
