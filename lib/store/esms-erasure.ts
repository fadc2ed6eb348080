/**
 * Erasers over the messages table (the Eraser port of lib/esms/ports.ts): eSMS messages through the phone's
 * index partition, and the tenant's rejected log day by day from a stored cursor. Every rewrite keeps what
 * the aggregator counts. The spelling rules come with the ErasedPhone the domain hands over.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ErasedPhone, Eraser } from '../esms/ports';
import {
  ERASED_PHONE, ERASURE_MARK_DAYS, ERASURE_MARK_KIND, OVERFLOW_SK_PREFIX, PhoneIndexItemSchema, callbackPk, erasureMarkKey, headKey,
  phoneIndexPk, readHead, shardOf,
} from '../table/esms';
import { TTL_ATTRIBUTE } from '../table/names';
import { rejectedDayPk } from '../table/rejected';
import { dayStartMs, vietnamDay } from '../time';
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
export const buildMessageEraser = (doc: DynamoDBDocumentClient, table: string, toErased: (normalised: string) => ErasedPhone) => {
  const eraseCallbacks = async (tenant: string, phone: ErasedPhone, message: ErasedMessage): Promise<number> => {
    const spellings = [...new Set([message.sp, ...phone.spellings])];
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
        const scrubbed = { ...phone.scrubCallback(item as { ph?: string; q?: string }), pk: item.pk, sk: `${OVERFLOW_SK_PREFIX}${ERASED_PHONE}#${String(item.id)}` };
        await send(() => doc.send(new PutCommand({ TableName: table, Item: scrubbed })));
        await send(() => doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } })));
        changed += 1;
      }
    }
    return changed;
  };

  /** The head without the number; conditional on `lastSeen` so a callback stored meanwhile is never overwritten. */
  const eraseHead = async (tenant: string, phone: ErasedPhone, smsId: string): Promise<number> => {
    for (let attempt = 0; attempt < HEAD_ATTEMPTS; attempt += 1) {
      const { Item } = await send(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, smsId), ConsistentRead: true })));
      if (!Item) return 0;
      const changes = phone.scrubbedHead(Item);
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

  /** `normalised`: the number as the phone index has it (the projector erases a message it finds erased meanwhile). */
  return async (tenant: string, normalised: string, message: ErasedMessage): Promise<number> => {
    const phone = toErased(normalised);
    return await eraseCallbacks(tenant, phone, message) + await eraseHead(tenant, phone, message.smsId);
  };
};

export const buildEsmsEraser = (doc: DynamoDBDocumentClient, table: string, toErased: (normalised: string) => ErasedPhone, now: () => number = Date.now): Eraser => {
  const eraseMessage = buildMessageEraser(doc, table, toErased);
  /** Marks the erasure first, so the aggregator erases what reaches the index after this call has read it. */
  const mark = (tenant: string, phone: string) => send(() => doc.send(new PutCommand({
    TableName: table,
    Item: { ...erasureMarkKey(tenant, phone), kind: ERASURE_MARK_KIND, at: now(), [TTL_ATTRIBUTE]: Math.floor(now() / 1000) + ERASURE_MARK_DAYS * 86_400 },
  })));

  return {
    async erase(tenant, { normalised: phone }, budget) {
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

const RejectedCursorSchema = v.object({ d: v.string(), k: v.optional(v.string()) });

/** Rejected entries read per Query: a page is read and looked at in well under a second. */
const REJECTED_PAGE = 200;

/**
 * The rejected log of the tenant's last `days` Vietnam days (its retention: older entries are gone by
 * TTL), oldest day first, each day in receive order up to the erasure's start (later entries are new
 * data): entries whose raw request or reason holds the number get it replaced. The cursor is the last entry
 * looked at, so each call carries on where the last one stopped, whatever the size of the log. Pages are
 * small and every call looks at one entry at least before it stops, so a call ends within a page of its
 * deadline and a slow read can never make every call stop where the last one did.
 */
export const buildRejectedEraser = (doc: DynamoDBDocumentClient, table: string, days: number): Eraser => ({
  async erase(tenant, phone, budget, cursor) {
    const end = new Date(budget.started).toISOString();
    const lastDay = vietnamDay(budget.started);
    const at = cursor === undefined ? { d: vietnamDay(budget.started - days * 86_400_000) } : v.parse(RejectedCursorSchema, JSON.parse(cursor));
    let changed = 0;
    let looked = 0;
    for (let day = at.d, after = at.k; day <= lastDay; day = vietnamDay(dayStartMs(day) + 36 * 3_600_000), after = undefined) {
      const pk = rejectedDayPk(tenant, day);
      let last = after;
      let from: Item | undefined = after === undefined ? undefined : { pk, sk: after };
      const stop = () => looked > 0 && budget.now() >= budget.deadline;
      const stopped = () => ({ changed, complete: false, cursor: JSON.stringify({ d: day, ...(last !== undefined && { k: last }) }) });
      do {
        if (stop()) return stopped();
        const page = await send(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk AND sk < :end',
          ExpressionAttributeValues: { ':pk': pk, ':end': end }, ExclusiveStartKey: from, Limit: REJECTED_PAGE,
        })));
        for (const item of page.Items ?? []) {
          if (stop()) return stopped();
          looked += 1;
          const raw = String(item.raw);
          const reason = String(item.reason);
          if (phone.isIn(raw) || phone.isIn(reason)) {
            await send(() => doc.send(new UpdateCommand({
              TableName: table, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #raw = :raw, #reason = :reason',
              ExpressionAttributeNames: { '#raw': 'raw', '#reason': 'reason' }, ExpressionAttributeValues: { ':raw': phone.scrub(raw), ':reason': phone.scrub(reason) },
            })));
            changed += 1;
          }
          last = String(item.sk);
        }
        from = page.LastEvaluatedKey;
      } while (from);
    }
    return { changed, complete: true };
  },
});
