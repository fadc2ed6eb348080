/**
 * DynamoDB adapter for eSMS messages (layout: lib/table/esms.ts).
 *
 * A single-recipient callback is ONE conditional UpdateItem on the head: it adds the callback as an
 * inline attribute unless that exact callback is there already (a retry) or the head's inline budget is
 * used up. Everything else goes to its own overflow item (one conditional PutItem, so a retry is a
 * refused write) and, only when it changes what the message counts, to the head as its best overflow
 * callback, with a condition that lets the head move forward only. Only this file knows the condition
 * failures and turns them into `duplicate`.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { isFinal, statusRank } from '../esms/channels';
import type { EsmsMessageStore, StoreCallbackInput, StoreCallbackResult } from '../esms/ports';
import { improvesHead, type Candidate } from '../esms/state';
import { decodeCursor, encodeCursor, type PageKey } from '../table/cursor';
import {
  DAY_INDEX, HEAD_SK, INLINE_BUDGET_BYTES, INLINE_PREFIX, OVERFLOW_SK_PREFIX, OverflowItemSchema, REQUEST_INDEX,
  callbackId, dayIndexPk, dayIndexValues, headKey, inlineSize, messagePk, overflowKey, phoneIndexPk, readHead,
  requestIndexPk, type InlineCallback, type OverflowItem, type StoredHead,
} from '../table/esms';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import { isConditionFailure, storageCall, storageFailure } from './errors';
import { batchGetAll } from './batch-get';
import { placeholders } from './expression';
import { queryAll, queryPage, tableKey } from './query-all';

const zaloMsgId = (input: StoreCallbackInput): string | undefined => input.event.partnerIds ?? input.event.errorInfo?.zaloMsgId;

const entryOf = ({ event, raw, route, receivedAt, source }: StoreCallbackInput): InlineCallback => ({
  s: event.sendStatus,
  t: event.typeId,
  n: [event.totalReceiver, event.totalSent, event.sendSuccess, event.sendFailed],
  p: event.priceE4,
  at: receivedAt,
  rt: route,
  q: raw,
  ...(event.phone !== undefined && { ph: event.phone }),
  ...(event.telcoId !== undefined && { tc: event.telcoId }),
  ...(source === 'reconcile' && { src: 'reconcile' as const }),
});

/** Days a tenant's messages are kept (TTL), or undefined to keep them until erased. */
export type RetentionDays = (tenant: string) => number | undefined | Promise<number | undefined>;

/** The TTL (epoch seconds) of an item first written at `at`, under the tenant's retention. */
const expiryOf = async (retention: RetentionDays, tenant: string, at: number): Promise<number | undefined> => {
  const days = await retention(tenant);
  return days === undefined ? undefined : Math.floor(at / 1000) + days * 86_400;
};

/** What the head says about the message besides its callbacks; set when first learnt, never overwritten. */
const headDescription = async (input: StoreCallbackInput, single: boolean, retention: RetentionDays): Promise<Array<readonly [string, unknown]>> => {
  const { event, tenant, route } = input;
  const firstSeen = input.firstSeen ?? input.receivedAt;
  return Object.entries({
    kind: KIND.esms, tenant, smsId: event.smsId, typeId: event.typeId, route, firstSeen,
    telcoId: event.telcoId, oaId: event.oaId, templateId: event.templateId, requestId: event.requestId,
    phone: single ? event.phone : undefined,
    ...dayIndexValues(tenant, event.smsId, firstSeen),
    [REQUEST_INDEX.hash]: event.requestId === undefined ? undefined : requestIndexPk(tenant, event.requestId),
    [TTL_ATTRIBUTE]: await expiryOf(retention, tenant, firstSeen),
  }).filter(([, value]) => value !== undefined);
};

const wcu = (answer: { ConsumedCapacity?: { CapacityUnits?: number } }): number => answer.ConsumedCapacity?.CapacityUnits ?? 0;
/** A refused conditional write still consumes capacity: at least one unit. */
const refusedWcu = (error: unknown): number => Math.max(1, (error as { $metadata?: unknown; ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 1);

const HeadKeySchema = v.object({ pk: v.string(), sk: v.string(), dk: v.string(), ds: v.number() });
type HeadKey = v.InferOutput<typeof HeadKeySchema>;
const FROM_START = '^';
/** Heads read per filtered day page request. */
const FILTER_WINDOW = 200;
const DONE = '';
const positionFits = (position: unknown, dk: string): boolean => {
  if (position === FROM_START || position === DONE) return true;
  if (typeof position !== 'string') return false;
  try {
    return v.parse(HeadKeySchema, JSON.parse(position)).dk === dk;
  } catch {
    return false;
  }
};

/** `retention`: the tenant's retention of messages (TTL on every item written); default: kept. */
export const buildEsmsStore = (doc: DynamoDBDocumentClient, table: string, retention: RetentionDays = () => undefined): EsmsMessageStore => {
  const send = storageCall;

  /** Inline path: one UpdateItem. Answers the stored head on a refusal so the caller can tell a retry from a full head. */
  const addInline = async (input: StoreCallbackInput, id: string, entry: InlineCallback, size: number) => {
    const described = placeholders((await headDescription(input, true, retention)).map(([name, value]) => [name, value] as const), 'd');
    const zmsg = zaloMsgId(input);
    const sets = [
      '#e = :e', 'lastSeen = :now', 'ib = if_not_exists(ib, :zero) + :size', ...(isFinal(entry.s) ? ['fin = :true'] : []),
      // The latest Zalo msg id links the message (the index is only rewritten when it changes).
      ...(zmsg !== undefined ? ['zmsg = :z'] : []),
      ...Object.keys(described.names).map((ref) => `${ref} = if_not_exists(${ref}, ${ref.replace('#', ':')})`),
    ];
    try {
      const answer = await doc.send(new UpdateCommand({
        TableName: table,
        Key: headKey(input.tenant, input.event.smsId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#e) AND (attribute_not_exists(ib) OR ib <= :room)',
        ExpressionAttributeNames: { '#e': `${INLINE_PREFIX}${id}`, ...described.names },
        ExpressionAttributeValues: {
          ':e': entry, ':now': input.receivedAt, ':zero': 0, ':size': size, ':room': INLINE_BUDGET_BYTES - size, ...described.values,
          ...(zmsg !== undefined && { ':z': zmsg }),
          ...(isFinal(entry.s) && { ':true': true }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { stored: true as const, wcu: wcu(answer) };
    } catch (error) {
      if (!isConditionFailure(error)) throw storageFailure(error);
      const old = (error as { Item?: Record<string, unknown> }).Item;
      return { stored: false as const, wcu: refusedWcu(error), duplicate: old !== undefined && `${INLINE_PREFIX}${id}` in old };
    }
  };

  const putOverflow = async (input: StoreCallbackInput, id: string, entry: InlineCallback): Promise<{ duplicate: boolean; wcu: number }> => {
    const zmsg = zaloMsgId(input);
    const expiresAt = await expiryOf(retention, input.tenant, input.firstSeen ?? input.receivedAt);
    const item: OverflowItem & { [TTL_ATTRIBUTE]?: number } = {
      ...overflowKey(input.tenant, input.event.smsId, input.event.phone, id),
      kind: KIND.esmsCallback, tenant: input.tenant, smsId: input.event.smsId, id, ...entry, ...(zmsg !== undefined && { zmsg }),
      ...(expiresAt !== undefined && { [TTL_ATTRIBUTE]: expiresAt }),
    };
    try {
      const answer = await doc.send(new PutCommand({
        TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)', ReturnConsumedCapacity: 'TOTAL',
      }));
      return { duplicate: false, wcu: wcu(answer) };
    } catch (error) {
      if (isConditionFailure(error)) return { duplicate: true, wcu: refusedWcu(error) };
      throw storageFailure(error);
    }
  };

  /** Moves the head's best overflow callback forward, never backwards (the condition re-checks the rank under concurrency). */
  const advanceHead = async (input: StoreCallbackInput, id: string, entry: InlineCallback): Promise<{ changed: boolean; wcu: number }> => {
    const { q: _raw, ...summary } = entry;
    const described = placeholders((await headDescription(input, false, retention)).map(([name, value]) => [name, value] as const), 'd');
    const sets = [
      'ow = :ow', 'owr = :r', 'owat = :at', 'lastSeen = :now', ...(isFinal(entry.s) ? ['fin = :true'] : []),
      ...Object.keys(described.names).map((ref) => `${ref} = if_not_exists(${ref}, ${ref.replace('#', ':')})`),
    ];
    try {
      const answer = await doc.send(new UpdateCommand({
        TableName: table,
        Key: headKey(input.tenant, input.event.smsId),
        UpdateExpression: `SET ${sets.join(', ')} ADD oc :one`,
        ConditionExpression: 'attribute_not_exists(owr) OR owr < :r OR (owr = :r AND owat < :at)',
        ExpressionAttributeNames: described.names,
        ExpressionAttributeValues: {
          ':ow': { ...summary, id }, ':r': statusRank(entry.s), ':at': entry.at, ':now': input.receivedAt, ':one': 1, ...described.values,
          ...(isFinal(entry.s) && { ':true': true }),
        },
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { changed: true, wcu: wcu(answer) };
    } catch (error) {
      if (isConditionFailure(error)) return { changed: false, wcu: refusedWcu(error) };
      throw storageFailure(error);
    }
  };

  const getHead = async (tenant: string, smsId: string, consistent: boolean): Promise<StoredHead | undefined> => {
    const { Item } = await send(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, smsId), ConsistentRead: consistent })));
    return Item ? readHead(Item) : undefined;
  };

  const viaOverflow = async (input: StoreCallbackInput, id: string, entry: InlineCallback, spent: number): Promise<StoreCallbackResult> => {
    // The head read is eventually consistent on purpose: heads only move forward, so a stale head that
    // already beats this callback proves the current one does too; anything else is settled by the
    // conditional write. Put and read run together: one round trip.
    const [put, head] = await Promise.all([putOverflow(input, id, entry), getHead(input.tenant, input.event.smsId, false)]);
    const candidate: Candidate = { id, entry };
    // Even for a retry: the first delivery may have stored the item and failed before reaching the head.
    const advance = improvesHead(head, candidate) ? await advanceHead(input, id, entry) : { changed: false, wcu: 0 };
    return { duplicate: put.duplicate, consumedWcu: spent + put.wcu + advance.wcu, headChanged: advance.changed };
  };

  /** The phone index is written from the stream (lib/store/esms-phone-index.ts), not here: one request per callback. */
  const storeCallback = async (input: StoreCallbackInput): Promise<StoreCallbackResult> => {
    const id = callbackId(input.event.sendStatus, input.canonical);
    const entry = entryOf(input);
    const size = inlineSize(id, entry);
    const single = input.event.totalReceiver <= 1;
    if (single && size <= INLINE_BUDGET_BYTES) {
      const inline = await addInline(input, id, entry, size);
      if (inline.stored) return { duplicate: false, consumedWcu: inline.wcu, headChanged: true };
      if (inline.duplicate) return { duplicate: true, consumedWcu: inline.wcu, headChanged: false };
      return viaOverflow(input, id, entry, inline.wcu);
    }
    return viaOverflow(input, id, entry, 0);
  };

  return {
    storeCallback,

    readHead: (tenant, smsId) => getHead(tenant, smsId, true),

    async readOverflow(tenant, smsId, phone, id) {
      const { Item } = await send(() => doc.send(new GetCommand({ TableName: table, Key: overflowKey(tenant, smsId, phone, id), ConsistentRead: true })));
      return Item ? v.parse(OverflowItemSchema, Item) : undefined;
    },

    async readMessagePage(tenant, smsId, limit, cursor) {
      const pk = messagePk(tenant, smsId);
      const start = decodeCursor(cursor, (key) => key.pk === pk && typeof key.sk === 'string' && key.sk.startsWith(OVERFLOW_SK_PREFIX));
      const [head, page] = await Promise.all([
        start === undefined ? getHead(tenant, smsId, true) : Promise.resolve(undefined),
        queryPage(doc, {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':pk': pk, ':c': OVERFLOW_SK_PREFIX },
          ConsistentRead: true,
        }, limit, start, tableKey),
      ]);
      return { head, overflow: page.items.map((item) => v.parse(OverflowItemSchema, item)), next: encodeCursor(page.next) };
    },

    async headsOfDay(tenant, day, limit, cursor, seenBetween, accept) {
      // With a filter, read a larger window and stop at the `limit`-th accepted head: the cursor is where reading stopped.
      const window = accept ? Math.max(limit, FILTER_WINDOW) : limit;
      const buckets = Array.from({ length: DAY_INDEX.buckets }, (_, bucket) => dayIndexPk(tenant, day, bucket));
      // One position per bucket: FROM_START, DONE, or the key (JSON) of the last head handed out from it.
      const state = decodeCursor(cursor, (key) => buckets.every((dk, b) => positionFits(key[`b${b}`], dk)));
      const positions = buckets.map((_, b) => (state === undefined ? FROM_START : String(state[`b${b}`])));
      const pages = await Promise.all(buckets.map(async (dk, b) => {
        const position = positions[b]!;
        if (position === DONE) return { items: [] as HeadKey[], more: false };
        const answer = await send(() => doc.send(new QueryCommand({
          TableName: table, IndexName: DAY_INDEX.name,
          KeyConditionExpression: seenBetween ? '#dk = :dk AND #ds BETWEEN :a AND :b' : '#dk = :dk',
          ExpressionAttributeNames: { '#dk': DAY_INDEX.hash, ...(seenBetween && { '#ds': DAY_INDEX.range }) },
          ExpressionAttributeValues: { ':dk': dk, ...(seenBetween && { ':a': seenBetween[0], ':b': seenBetween[1] }) },
          ScanIndexForward: false, Limit: window, ...(position !== FROM_START && { ExclusiveStartKey: JSON.parse(position) as PageKey }),
        })));
        return { items: (answer.Items ?? []).map((item) => v.parse(HeadKeySchema, item)), more: answer.LastEvaluatedKey !== undefined };
      }));
      // Newest first across buckets: take `limit` of the merged lists and remember where each bucket stopped.
      const merged = pages.flatMap((page, b) => page.items.map((item) => ({ b, item })))
        .sort((x, y) => y.item.ds - x.item.ds || (x.item.pk < y.item.pk ? 1 : x.item.pk > y.item.pk ? -1 : 0));
      const candidates = merged.slice(0, window);
      const found = new Map((await batchGetHeads(candidates.map((entry) => ({ pk: entry.item.pk, sk: HEAD_SK })))).map((head) => [head.pk, head]));
      const heads: StoredHead[] = [];
      let consumed = candidates.length;
      for (const [index, entry] of candidates.entries()) {
        const head = found.get(entry.item.pk);
        if (head === undefined || (accept && !accept(head))) continue;
        heads.push(head);
        if (heads.length === limit) {
          consumed = index + 1;
          break;
        }
      }
      const taken = candidates.slice(0, consumed);
      const next = Object.fromEntries(pages.map((page, b) => {
        const mine = taken.filter((entry) => entry.b === b);
        const left = page.items.length > mine.length || page.more;
        const position = !left ? DONE : mine.length > 0 ? JSON.stringify(mine.at(-1)!.item) : positions[b]!;
        return [`b${b}`, position];
      }));
      return { heads, read: consumed, next: Object.values(next).some((position) => position !== DONE) ? encodeCursor(next) : undefined };
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

    async headsByRequestId(tenant, requestId, limit, cursor) {
      const rk = requestIndexPk(tenant, requestId);
      const start = decodeCursor(cursor, (key) => key[REQUEST_INDEX.hash] === rk);
      const page = await queryPage(doc, {
        TableName: table, IndexName: REQUEST_INDEX.name,
        KeyConditionExpression: '#rk = :rk', ExpressionAttributeNames: { '#rk': REQUEST_INDEX.hash }, ExpressionAttributeValues: { ':rk': rk },
        ScanIndexForward: false,
      }, limit, start, (item) => ({ pk: item.pk, sk: item.sk, [REQUEST_INDEX.hash]: item[REQUEST_INDEX.hash], [REQUEST_INDEX.range]: item[REQUEST_INDEX.range] }));
      const heads = await batchGetHeads(page.items.map((item) => ({ pk: String(item.pk), sk: HEAD_SK })));
      return { heads, next: encodeCursor(page.next) };
    },

    async expire(tenant, smsId, at) {
      try {
        await doc.send(new UpdateCommand({
          TableName: table, Key: headKey(tenant, smsId),
          UpdateExpression: 'SET x = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(x) AND attribute_not_exists(fin)',
          ExpressionAttributeValues: { ':at': at },
        }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw storageFailure(error);
      }
    },
  };

  async function batchGetHeads(keys: Array<{ pk: string; sk: string }>): Promise<StoredHead[]> {
    const found = new Map((await batchGetAll(doc, table, keys)).map((item) => [String(item.pk), readHead(item)]));
    return keys.flatMap((key) => found.get(key.pk) ?? []);
  }
};

