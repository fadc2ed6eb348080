/**
 * The eSMS read paths (layout: lib/table/esms.ts): a head, one callback item, a message's callbacks page by
 * page across every partition its layouts use, and heads listed by day, phone or RequestId, newest first.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { InvalidCursorError } from '../errors';
import type { EsmsMessageStore } from '../esms/ports';
import { decodeCursor, encodeCursor } from '../table/cursor';
import {
  DAY_INDEX, HEAD_SK, OVERFLOW_SK_PREFIX, OverflowItemSchema, REQUEST_INDEX, callbackPartitions, dayIndexPk, headKey, overflowKey,
  phoneIndexPk, readHead, requestIndexPk, type OverflowItem, type StoredHead,
} from '../table/esms';
import { batchGetAll } from './batch-get';
import { storageCall } from './errors';
import { newestFirst, type BucketedIndex } from './newest-first';
import { queryAll, queryPage, tableKey } from './query-all';

/** Heads read per filtered page request. */
const FILTER_WINDOW = 200;

export type EsmsReader = Omit<EsmsMessageStore, 'storeCallback' | 'expire'>;

export const buildEsmsReader = (doc: DynamoDBDocumentClient, table: string): EsmsReader => {
  const getHead = async (tenant: string, smsId: string): Promise<StoredHead | undefined> => {
    const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, smsId), ConsistentRead: true })));
    return Item ? readHead(Item) : undefined;
  };

  const batchGetHeads = async (keys: Array<{ pk: string; sk: string }>): Promise<StoredHead[]> => {
    const found = new Map((await batchGetAll(doc, table, keys)).map((item) => [String(item.pk), readHead(item)]));
    return keys.flatMap((key) => found.get(key.pk) ?? []);
  };

  /** Heads of a bucketed index, newest first; with `accept`, only the ones it accepts, from a bounded window. */
  const headsOf = async (index: BucketedIndex, limit: number, cursor: string | undefined, range?: readonly [number, number], accept?: (head: StoredHead) => boolean) => {
    const heads: StoredHead[] = [];
    let read = 0;
    const { next } = await newestFirst(doc, table, index, accept ? Math.max(limit, FILTER_WINDOW) : limit, cursor, async (entries) => {
      const found = new Map((await batchGetHeads(entries.map((entry) => ({ pk: entry.pk, sk: HEAD_SK })))).map((head) => [head.pk, head]));
      for (const [position, entry] of entries.entries()) {
        const head = found.get(entry.pk);
        if (head !== undefined && (!accept || accept(head))) heads.push(head);
        if (heads.length === limit) {
          read = position + 1;
          return read;
        }
      }
      read = entries.length;
      return read;
    }, range);
    return { heads, read, next };
  };

  const ownedBy = (tenant: string) => (pk: string) => pk.startsWith(`T#${tenant}#M#`);

  return {
    readHead: getHead,

    async readOverflow(tenant, smsId, phone, id, shards = 1) {
      const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: overflowKey(tenant, smsId, phone, id, shards), ConsistentRead: true })));
      return Item ? v.parse(OverflowItemSchema, Item) : undefined;
    },

    async readMessagePage(tenant, smsId, limit, cursor) {
      // Partitions in a fixed order (the own one, then each layout's shards); the cursor is a partition's
      // position in that order and the key to continue after in it.
      const start = decodeCursor(cursor, (key) => typeof key.p === 'number' && typeof key.sk === 'string' && key.sk.startsWith(OVERFLOW_SK_PREFIX));
      const head = await getHead(tenant, smsId);
      const partitions = callbackPartitions(tenant, smsId, head?.ly);
      const overflow: OverflowItem[] = [];
      let position = start === undefined ? 0 : Number(start.p);
      if (position >= partitions.length) throw new InvalidCursorError();
      let from = start === undefined ? undefined : { pk: partitions[position]!, sk: String(start.sk) };
      let next: string | undefined;
      while (position < partitions.length) {
        const pk = partitions[position]!;
        const page = await queryPage(doc, {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':pk': pk, ':c': OVERFLOW_SK_PREFIX },
          ConsistentRead: true,
        }, limit - overflow.length, from, tableKey);
        overflow.push(...page.items.map((item) => v.parse(OverflowItemSchema, item)));
        if (page.next) {
          next = encodeCursor({ p: position, sk: String(page.next.sk) });
          break;
        }
        position += 1;
        from = undefined;
        if (overflow.length === limit && position < partitions.length) {
          // The page is full at a partition's end: more follow only if a later partition holds any.
          next = await laterHasItems(partitions, position) ? encodeCursor({ p: position, sk: OVERFLOW_SK_PREFIX }) : undefined;
          break;
        }
      }
      return { head: start === undefined ? head : undefined, overflow, next };
    },

    async headsOfDay(tenant, day, limit, cursor, seenBetween, accept) {
      const index: BucketedIndex = {
        name: DAY_INDEX.name, hash: DAY_INDEX.hash, range: DAY_INDEX.range, ownsKey: ownedBy(tenant),
        partitions: Array.from({ length: DAY_INDEX.buckets }, (_, bucket) => dayIndexPk(tenant, day, bucket)),
      };
      return headsOf(index, limit, cursor, seenBetween, accept);
    },

    async headsByRequestId(tenant, requestId, limit, cursor) {
      const index: BucketedIndex = {
        name: REQUEST_INDEX.name, hash: REQUEST_INDEX.hash, range: REQUEST_INDEX.range, ownsKey: ownedBy(tenant),
        partitions: Array.from({ length: REQUEST_INDEX.buckets }, (_, bucket) => requestIndexPk(tenant, requestId, bucket)),
      };
      const { heads, next } = await headsOf(index, limit, cursor);
      return { heads, next };
    },

    async headsByPhone(tenant, phone, limit, cursor) {
      const pk = phoneIndexPk(tenant, phone);
      const start = decodeCursor(cursor, (key) => key.p === pk && typeof key.ds === 'number' && typeof key.id === 'string');
      // A phone's index partition is read whole (about 10,000 pairs per 1 MB page) and ordered here: the pair's
      // key must be known before its first-seen time is, so the sort key cannot carry the time.
      const pairs = (await queryAll(doc, {
        TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'smsId, ds',
      })).map((item) => ({ smsId: String(item.smsId), ds: Number(item.ds) }))
        .sort((a, b) => b.ds - a.ds || (a.smsId < b.smsId ? 1 : a.smsId > b.smsId ? -1 : 0));
      const after = start === undefined ? 0
        : pairs.findIndex((pair) => pair.ds < Number(start.ds) || (pair.ds === Number(start.ds) && pair.smsId < String(start.id)));
      const rest = after < 0 ? [] : pairs.slice(after);
      const taken = rest.slice(0, limit);
      const heads = await batchGetHeads(taken.map((pair) => headKey(tenant, pair.smsId)));
      const last = taken.at(-1);
      return { heads, next: rest.length > limit && last ? encodeCursor({ p: pk, ds: last.ds, id: last.smsId }) : undefined };
    },
  };

  async function laterHasItems(partitions: string[], from: number): Promise<boolean> {
    for (let position = from; position < partitions.length; position += 1) {
      const page = await queryPage(doc, {
        TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
        ExpressionAttributeValues: { ':pk': partitions[position]!, ':c': OVERFLOW_SK_PREFIX }, ProjectionExpression: 'pk',
      }, 1, undefined, tableKey);
      if (page.items.length > 0) return true;
    }
    return false;
  }
};
