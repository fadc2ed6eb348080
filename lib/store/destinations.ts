/**
 * Destinations, their attempt log and the tenant's event log in the messages table (layout:
 * lib/table/destinations.ts). Values arrive sealed; this file never sees a plaintext secret.
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { Attempt, Destination, DestinationStore, EventLog, PlatformEvent } from '../destinations/ports';
import { decodeCursor, encodeCursor } from '../table/cursor';
import {
  ATTEMPT_KIND, AttemptItemSchema, attemptsPk, DESTINATION_KIND, destinationKey, DestinationItemSchema, destinationsPk,
  EVENT_KIND, EVENT_RETENTION_DAYS, EventItemSchema, eventLogBucket, eventLogPartitions, eventLogPk, timeSk, type DestinationItem,
} from '../table/destinations';
import { TTL_ATTRIBUTE } from '../table/names';
import { daysBetween, vietnamDay } from '../time';
import { storageCall } from './errors';
import { queryAll, queryPage, tableKey } from './query-all';

const toDestination = (item: Record<string, unknown>): Destination => {
  const { pk: _pk, sk, kind: _kind, ...rest } = v.parse(DestinationItemSchema, item);
  return { ...rest, id: sk };
};

/** Items read from one bucket of the event log per Query. */
const BUCKET_PAGE = 500;

const ttl = (at: number): number => Math.floor(at / 1000) + EVENT_RETENTION_DAYS * 86_400;

/** A new destination id: `dst_` and 20 random base32 characters. */
export const newDestinationId = (): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `dst_${[...randomBytes(20)].map((byte) => alphabet[byte & 31]).join('')}`;
};

export const buildDestinationStore = (doc: DynamoDBDocumentClient, table: string): DestinationStore => ({
  async create({ id, ...destination }) {
    const item: DestinationItem = { ...destinationKey(destination.tenant, id), kind: DESTINATION_KIND, ...destination };
    await storageCall(() => doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })));
  },

  async list(tenant) {
    const items = await queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': destinationsPk(tenant) }, ConsistentRead: true });
    return items.map(toDestination);
  },

  async get(tenant, id) {
    const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: destinationKey(tenant, id), ConsistentRead: true })));
    return Item ? toDestination(Item) : undefined;
  },

  async update(tenant, id, changes) {
    const entries = Object.entries(changes);
    const set = entries.filter(([, value]) => value !== undefined);
    const remove = entries.filter(([, value]) => value === undefined);
    const names = Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name]));
    const alias = (name: string) => `#a${entries.findIndex(([n]) => n === name)}`;
    const expression = [
      set.length > 0 ? `SET ${set.map(([name]) => `${alias(name)} = :${alias(name).slice(1)}`).join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.map(([name]) => alias(name)).join(', ')}` : '',
    ].filter(Boolean).join(' ');
    const answer = await storageCall(() => doc.send(new UpdateCommand({
      TableName: table, Key: destinationKey(tenant, id), UpdateExpression: expression, ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ...(set.length > 0 && { ExpressionAttributeValues: Object.fromEntries(set.map(([name, value]) => [`:${alias(name).slice(1)}`, value])) }),
      ReturnValues: 'ALL_NEW',
    })), () => undefined);
    return answer?.Attributes ? toDestination(answer.Attributes) : undefined;
  },

  async remove(tenant, id) {
    const answer = await storageCall(() => doc.send(new DeleteCommand({ TableName: table, Key: destinationKey(tenant, id), ReturnValues: 'ALL_OLD' })));
    return answer.Attributes !== undefined;
  },

  async addAttempt(tenant, id, attempt) {
    const item = { pk: attemptsPk(tenant, id), sk: timeSk(attempt.at, attempt.eventId, attempt.attempt), kind: ATTEMPT_KIND, ...attempt, [TTL_ATTRIBUTE]: ttl(attempt.at) };
    await storageCall(() => doc.send(new PutCommand({ TableName: table, Item: item })));
  },

  async attempts(tenant, id, limit, cursor) {
    const pk = attemptsPk(tenant, id);
    const start = decodeCursor(cursor, (key) => key.pk === pk);
    const page = await queryPage(doc, {
      TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false,
    }, limit, start, tableKey);
    const items = page.items.map((item): Attempt => {
      const { pk: _pk, sk: _sk, kind: _kind, [TTL_ATTRIBUTE]: _ttl, ...attempt } = v.parse(AttemptItemSchema, item);
      return attempt;
    });
    return { items, ...(page.next !== undefined && { next: encodeCursor(page.next) }) };
  },
});

export const buildEventLog = (doc: DynamoDBDocumentClient, table: string): EventLog => ({
  async add(tenant, events) {
    for (let i = 0; i < events.length; i += 25) {
      const chunk = events.slice(i, i + 25).map((event) => ({
        PutRequest: { Item: { pk: eventLogPk(tenant, vietnamDay(event.at), eventLogBucket(event.id)), sk: timeSk(event.at, event.id), kind: EVENT_KIND, ...event, [TTL_ATTRIBUTE]: ttl(event.at) } },
      }));
      let pending: typeof chunk | undefined = chunk;
      for (let round = 0; pending && pending.length > 0 && round < 8; round += 1) {
        const answer = await storageCall(() => doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending! } })));
        pending = answer.UnprocessedItems?.[table] as typeof chunk | undefined;
        if (pending?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      }
      if (pending?.length) throw new Error(`event log: ${pending.length} items left unprocessed`);
    }
  },

  /**
   * The first `limit` events of the window in time order: each day's buckets are read side by side, a page at
   * a time, and merged by sort key (each bucket is in time order), so at most `limit` + one page per bucket
   * is read, however many buckets.
   */
  async between(tenant, from, to, limit) {
    const events: PlatformEvent[] = [];
    for (const day of daysBetween(vietnamDay(from), vietnamDay(to))) {
      if (events.length >= limit) break;
      const cursors = eventLogPartitions(tenant, day).map((pk) => ({ pk, items: [] as Array<Record<string, unknown>>, start: undefined as Record<string, unknown> | undefined, done: false }));
      const fill = async (cursor: (typeof cursors)[number]) => {
        if (cursor.items.length > 0 || cursor.done) return;
        const page = await storageCall(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': cursor.pk, ':from': timeSk(from), ':to': `${timeSk(to)}#~` },
          Limit: Math.min(BUCKET_PAGE, limit - events.length), ...(cursor.start && { ExclusiveStartKey: cursor.start }),
        })));
        cursor.items = page.Items ?? [];
        cursor.start = page.LastEvaluatedKey;
        cursor.done = cursor.start === undefined;
      };
      while (events.length < limit) {
        await Promise.all(cursors.map(fill));
        let next: (typeof cursors)[number] | undefined;
        for (const cursor of cursors) {
          if (cursor.items.length > 0 && (next === undefined || String(cursor.items[0]!.sk) < String(next.items[0]!.sk))) next = cursor;
        }
        if (next === undefined) break;
        const { id, type, at, body } = v.parse(EventItemSchema, next.items.shift());
        events.push({ id, type, at, body });
      }
    }
    return events;
  },
});
