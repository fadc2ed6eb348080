/**
 * The rejected log: every request we refused as malformed (not forged, not an unknown token) is kept raw
 * with the reason, so it can be replayed once the parser learns the new shape. Items expire by TTL.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { vietnamDay } from '../time';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import { storageFailure } from './errors';

export const RejectedItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal('rejected'),
  source: v.picklist(['esms', 'zalo']),
  route: v.string(),
  status: v.number(),
  field: v.string(),
  reason: v.string(),
  raw: v.string(),
  headers: v.optional(v.record(v.string(), v.string())),
  receivedAt: v.number(),
  replayedAt: v.optional(v.number()),
  replayOutcome: v.optional(v.string()),
});
export type RejectedItem = v.InferOutput<typeof RejectedItemSchema>;

export type NewRejected = Pick<RejectedItem, 'source' | 'route' | 'status' | 'field' | 'reason' | 'raw' | 'headers' | 'receivedAt'>;

const dayKey = (day: string) => `REJ#${day}`;

/** A rejected entry's id is its sort key, which starts with its ISO receive time: the day follows from it. */
export const rejectedKey = (id: string) => ({ pk: dayKey(vietnamDay(Date.parse(id.split('#')[0] ?? ''))), sk: id });

export const buildRejectedStore = (doc: DynamoDBDocumentClient, table: string, retentionDays: number) => ({
  async add(rejected: NewRejected): Promise<void> {
    const item: RejectedItem & { [TTL_ATTRIBUTE]: number } = {
      pk: dayKey(vietnamDay(rejected.receivedAt)),
      sk: `${new Date(rejected.receivedAt).toISOString()}#${randomUUID().slice(0, 8)}`,
      kind: KIND.rejected,
      ...rejected,
      [TTL_ATTRIBUTE]: Math.floor(rejected.receivedAt / 1000) + retentionDays * 86_400,
    };
    try {
      await doc.send(new PutCommand({ TableName: table, Item: item }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async get(id: string): Promise<RejectedItem | undefined> {
    if (Number.isNaN(Date.parse(id.split('#')[0] ?? ''))) return undefined;
    try {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: rejectedKey(id), ConsistentRead: true }));
      return Item ? v.parse(RejectedItemSchema, Item) : undefined;
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async markReplayed(id: string, outcome: string, at: number): Promise<void> {
    try {
      await doc.send(new UpdateCommand({
        TableName: table, Key: rejectedKey(id),
        UpdateExpression: 'SET replayedAt = :at, replayOutcome = :outcome',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':outcome': outcome },
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  /** Newest first, one Vietnam-time day at a time. */
  async listDay(day: string, limit = 100): Promise<RejectedItem[]> {
    try {
      const result = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': dayKey(day) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => v.parse(RejectedItemSchema, item));
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
export type RejectedStore = ReturnType<typeof buildRejectedStore>;
