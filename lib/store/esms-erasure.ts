/**
 * Erasers over the messages table (lib/esms/erasure.ts): eSMS messages through the phone's index
 * partition, and the tenant's rejected log day by day. Every rewrite keeps what the aggregator counts.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isPhone, scrubbedHeadAttributes, scrubCallback, scrubText, type Eraser } from '../esms/erasure';
import { phonePattern, phoneSpellings } from '../esms/phone';
import {
  ERASED_PHONE, ERASURE_MARK_DAYS, ERASURE_MARK_KIND, INLINE_PREFIX, OVERFLOW_SK_PREFIX, PhoneIndexItemSchema, callbackPk, erasureMarkKey, headKey,
  phoneIndexPk, readHead, shardOf,
} from '../table/esms';
import { TTL_ATTRIBUTE } from '../table/names';
import { rejectedDayPk } from '../table/rejected';
import { vietnamDay } from '../time';
import * as v from 'valibot';
import { isConditionFailure, storageCall, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';
import { runInLanes } from '../lanes';

/** Index items taken per Query: each is one message to rewrite, so a page is a few seconds of work at most. */
const INDEX_PAGE = 25;
/** Attempts at a head rewrite that a concurrent callback keeps overtaking. */
const HEAD_ATTEMPTS = 5;
/** Messages rewritten at once. */
const LANES = 8;

type Item = Record<string, unknown>;

const send = storageCall;

/** The message of one (phone, SMSID) pair, as the index item or the aggregator (lib/store/esms-phone-index.ts) knows it. */
export interface ErasedMessage { smsId: string; sp: string }

/**
 * Erases the number from one message: its callback items re-keyed under `C#erased#<id>` with the number
 * scrubbed (the old ones deleted), then its head. Answers the records changed.
 */
export const buildMessageEraser = (doc: DynamoDBDocumentClient, table: string) => {
  const eraseCallbacks = async (tenant: string, phone: string, message: ErasedMessage): Promise<number> => {
    const spellings = [...new Set([message.sp, ...phoneSpellings(phone)])];
    const { Item: head } = await send(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, message.smsId), ConsistentRead: true })));
    const layouts = [1, ...(head ? readHead(head).ly ?? [] : [])];
    // A recipient's callbacks live in its shard of each layout the message used (lib/table/esms.ts).
    const partitions = [...new Set(spellings.flatMap((spelling) => layouts.map((shards) => [callbackPk(tenant, message.smsId, shards, shardOf(spelling, shards)), spelling] as const)))];
    const found = await Promise.all(partitions.map(([pk, spelling]) => queryAll(doc, {
      TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': pk, ':c': `${OVERFLOW_SK_PREFIX}${spelling}#` }, ConsistentRead: true,
    })));
    let changed = 0;
    for (const items of found) {
      for (const item of items) {
        const scrubbed = { ...scrubCallback(item as { ph?: string; q?: string }, phone), pk: item.pk, sk: `${OVERFLOW_SK_PREFIX}${ERASED_PHONE}#${String(item.id)}` };
        await send(() => doc.send(new PutCommand({ TableName: table, Item: scrubbed })));
        await send(() => doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } })));
        changed += 1;
      }
    }
    return changed;
  };

  /** The head without the number; conditional on `lastSeen` so a callback stored meanwhile is never overwritten. */
  const eraseHead = async (tenant: string, phone: string, smsId: string): Promise<number> => {
    for (let attempt = 0; attempt < HEAD_ATTEMPTS; attempt += 1) {
      const { Item } = await send(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, smsId), ConsistentRead: true })));
      if (!Item) return 0;
      const changes = scrubbedHeadAttributes(Item, phone, INLINE_PREFIX);
      if (Object.keys(changes).length === 0) return 0;
      const set = placeholders(Object.entries(changes), 'e');
      try {
        await doc.send(new UpdateCommand({
          TableName: table, Key: headKey(tenant, smsId),
          UpdateExpression: `SET ${set.assignments.join(', ')}`,
          ConditionExpression: 'lastSeen = :seen',
          ExpressionAttributeNames: set.names,
          ExpressionAttributeValues: { ...set.values, ':seen': Item.lastSeen },
        }));
        return 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw storageFailure(error);
      }
    }
    throw storageFailure(new Error(`head of ${smsId} kept changing during erasure`));
  };

  return async (tenant: string, phone: string, message: ErasedMessage): Promise<number> =>
    await eraseCallbacks(tenant, phone, message) + await eraseHead(tenant, phone, message.smsId);
};

export const buildEsmsEraser = (doc: DynamoDBDocumentClient, table: string, now: () => number = Date.now): Eraser => {
  const eraseMessage = buildMessageEraser(doc, table);
  /** Marks the erasure first, so the aggregator erases what reaches the index after this call has read it. */
  const mark = (tenant: string, phone: string) => send(() => doc.send(new PutCommand({
    TableName: table,
    Item: { ...erasureMarkKey(tenant, phone), kind: ERASURE_MARK_KIND, at: now(), [TTL_ATTRIBUTE]: Math.floor(now() / 1000) + ERASURE_MARK_DAYS * 86_400 },
  })));

  return {
    async erase(tenant, phone, budget) {
      const pk = phoneIndexPk(tenant, phone);
      await mark(tenant, phone);
      let changed = 0;
      while (budget.now() < budget.deadline) {
        const page = await send(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: INDEX_PAGE, ConsistentRead: true,
        })));
        const entries = (page.Items ?? []).map((item) => v.parse(PhoneIndexItemSchema, item));
        if (entries.length === 0) return { changed, complete: true };
        let stopped = false;
        const outcomes = await runInLanes(entries, LANES, async (entry) => {
          if (stopped || budget.now() >= budget.deadline) {
            stopped = true;
            return;
          }
          const rewritten = await eraseMessage(tenant, phone, entry);
          // The index item goes last: until then a rerun finds the message again.
          await send(() => doc.send(new DeleteCommand({ TableName: table, Key: { pk: entry.pk, sk: entry.sk } })));
          changed += rewritten + 1;
        });
        const failure = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failure) throw failure.reason;
        if (stopped) return { changed, complete: false };
      }
      return { changed, complete: false };
    },
  };
};

/**
 * The rejected log of the tenant's last `days` Vietnam days (its retention: older entries are gone by
 * TTL): entries whose raw request holds the number get it replaced, in `raw` and `reason`.
 */
export const buildRejectedEraser = (doc: DynamoDBDocumentClient, table: string, days: number, now: () => number): Eraser => ({
  async erase(tenant, phone, budget) {
    const national = /^84\d{9,10}$/.test(phone) ? phone.slice(2) : phone;
    let changed = 0;
    for (let back = 0; back <= days; back += 1) {
      const pk = rejectedDayPk(tenant, vietnamDay(now() - back * 86_400_000));
      let start: Item | undefined;
      do {
        if (budget.now() >= budget.deadline) return { changed, complete: false };
        const page = await send(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk', FilterExpression: 'contains(#raw, :n) OR contains(#reason, :n)',
          ExpressionAttributeNames: { '#raw': 'raw', '#reason': 'reason' }, ExpressionAttributeValues: { ':pk': pk, ':n': national }, ExclusiveStartKey: start,
        })));
        for (const item of page.Items ?? []) {
          const raw = String(item.raw);
          const reason = String(item.reason);
          if (!phonePattern(phone).test(raw) && !phonePattern(phone).test(reason) && !isPhone(raw, phone)) continue;
          await send(() => doc.send(new UpdateCommand({
            TableName: table, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #raw = :raw, #reason = :reason',
            ExpressionAttributeNames: { '#raw': 'raw', '#reason': 'reason' }, ExpressionAttributeValues: { ':raw': scrubText(raw, phone), ':reason': scrubText(reason, phone) },
          })));
          changed += 1;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return { changed, complete: true };
  },
});
