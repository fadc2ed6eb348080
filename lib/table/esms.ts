/**
 * How an eSMS send request (one SMSID of one tenant) lives in the messages table.
 *
 * - One small **head** item per SMSID (`sk = '#'`): what the message is (TypeId, OA, template, …), when it
 *   was first seen, and the callbacks that decide its totals. It is the only eSMS item the aggregator
 *   counts, so an SMSID counts once whatever its number of recipients.
 * - A single-recipient message's distinct callbacks live *inside* the head, one attribute each
 *   (`c#<id>`), while they fit a fixed byte budget: the common 7 → 5 pair is one write of ≤ 1 KB each.
 * - Anything else (a batch's per-phone callbacks, a callback too big for the budget, the budget used up)
 *   is an **overflow** item of its own (`sk = C#<phone>#<id>`), and the head keeps only the best of them
 *   (`ow`), updated when a callback beats it. Heads stay under 2 KB and callback items under 4 KB,
 *   whatever the batch size or the number of callbacks.
 *
 * The key starts with the tenant, so no read of one tenant can reach another's SMSID.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { vietnamDay } from '../time';
import { TTL_ATTRIBUTE } from './names';

export const HEAD_SK = '#';

/**
 * The head's own attributes besides its description (what the callback path, the projector and the late
 * sweep write; the stored schema below reads them back).
 */
export const HEAD_ATTR = {
  /** Bytes of inline callbacks held (checked against INLINE_BUDGET_BYTES by the write's condition). */
  inlineBytes: 'ib',
  /** The best callback kept in a callback item of its own, summarised; its rank and receive time for the forward-only condition. */
  winner: 'ow',
  winnerRank: 'owr',
  winnerAt: 'owat',
  /** Set once a final status is known: the late sweep never expires such a message. */
  final: 'fin',
  /** The Zalo msg id the latest callback names (the byZaloMsgId index). */
  zaloMsgId: 'zmsg',
  /** When the late-report sweep expired the message. */
  expiredAt: 'x',
  /** The batch layouts (shard counts) its callback items use: a number set the projector adds to. */
  layouts: 'ly',
  lastSeen: 'lastSeen',
  /**
   * Incremented by every write of the head (callback path, projector, late sweep): strictly increasing per
   * message, so the `version` of its `esms.message.updated` events (lib/destinations/derive.ts), and the
   * same on a redelivered stream record.
   */
  writeVersion: 'wv',
} as const;
export const OVERFLOW_SK_PREFIX = 'C#';
export const INLINE_PREFIX = 'c#';

/** Bytes of inline callbacks a head may hold (entries are measured as their JSON, an upper bound of DynamoDB's size). */
export const INLINE_BUDGET_BYTES = 1200;
/** Longest raw query an accepted callback may have: its overflow item then stays under 4 KB. */
export const MAX_CALLBACK_QUERY_BYTES = 3700;

/**
 * Sparse GSI of heads by tenant and report day, newest first by `ds`. Sixteen buckets per tenant and day: a
 * head is one index write of about 100 bytes, so a tenant can create 16,000 messages a second before one
 * bucket reaches an index partition's 1,000 WCU (docs/capacity.md).
 */
export const DAY_INDEX = { name: 'byDay', hash: 'dk', range: 'ds', buckets: 16 } as const;

/**
 * Sparse GSI of heads by the partner's own RequestId, newest first by `ds` (set once, when the head is
 * created). Bucketed like the day index: a partner that puts one RequestId on a whole campaign's messages
 * must not make one index key hot (an index that throttles throttles the table's writes).
 */
export const REQUEST_INDEX = { name: 'byRequestId', hash: 'rk', range: 'ds', buckets: 8 } as const;
export const requestIndexPk = (tenant: string, requestId: string, bucket: number): string => `T#${tenant}#R#${requestId}#${bucket}`;
export const requestIndexValue = (tenant: string, requestId: string, smsId: string): string =>
  requestIndexPk(tenant, requestId, fnv1a(smsId) % REQUEST_INDEX.buckets);

/**
 * The phone index: one small item per (phone, SMSID) in the phone's own partition (`T#<tenant>#P#<phone>`,
 * `sk = M#<SMSID>`), written once per pair by the aggregator from the stream (lib/projector/phone-pairs.ts),
 * never on the callback path. The phone is the normalised one (lib/esms/phone.ts); erasure deletes the partition.
 */
export const PHONE_INDEX_SK_PREFIX = 'M#';
/** The phone index items' kind: the aggregator counts nothing of it (only `esms` heads count). */
export const PHONE_INDEX_KIND = 'esms-ph';
export const phoneIndexPk = (tenant: string, normalisedPhone: string): string => `T#${tenant}#P#${normalisedPhone}`;
export const phoneIndexKey = (tenant: string, normalisedPhone: string, smsId: string) =>
  ({ pk: phoneIndexPk(tenant, normalisedPhone), sk: `${PHONE_INDEX_SK_PREFIX}${smsId}` });
export const PhoneIndexItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(PHONE_INDEX_KIND),
  tenant: v.string(),
  smsId: v.string(),
  /** When the pair was first seen (epoch ms): the search's newest-first order. */
  ds: v.number(),
  /** The phone as eSMS spelled it in that message (the overflow items' sort keys use this spelling). */
  sp: v.string(),
});
export type PhoneIndexItem = v.InferOutput<typeof PhoneIndexItemSchema>;

/**
 * The erasure mark of (tenant, phone): written by every erasure call and kept two days (the stream keeps
 * records one), so the aggregator erases a callback stored before the erasure but indexed after it. Keyed
 * by a SHA-256 of the number, not the number: a mark outlives the erasure by two days (a hash of a phone is
 * not anonymous, only not the number in clear; docs/decisions.md).
 */
export const ERASURE_MARK_KIND = 'esms-em';
export const ERASURE_MARK_DAYS = 2;
export const erasureMarkKey = (tenant: string, normalisedPhone: string) =>
  ({ pk: `T#${tenant}#EM#${createHash('sha256').update(normalisedPhone).digest('hex')}`, sk: HEAD_SK });
export const ErasureMarkSchema = v.object({ pk: v.string(), sk: v.string(), kind: v.literal(ERASURE_MARK_KIND), at: v.number() });
/**
 * Where an erasure of (tenant, phone) got to, between its calls (lib/esms/erasure.ts): beside its mark, so
 * the same key grant covers it; kept as long as the mark, so an erasure abandoned for two days starts over.
 */
export const ERASURE_PROGRESS_KIND = 'esms-ep';
export const erasureProgressKey = (tenant: string, normalisedPhone: string) => ({ pk: erasureMarkKey(tenant, normalisedPhone).pk, sk: 'P' });
export const ErasureProgressSchema = v.object({
  pk: v.string(), sk: v.string(), kind: v.literal(ERASURE_PROGRESS_KIND),
  step: v.number(), cursor: v.optional(v.string()), started: v.number(), [TTL_ATTRIBUTE]: v.optional(v.number()),
});

/** What an erased phone becomes in heads, callback items, their sort keys and raw queries. */
export const ERASED_PHONE = 'erased';

export const messagePk = (tenant: string, smsId: string): string => `T#${tenant}#M#${smsId}`;
export const headKey = (tenant: string, smsId: string) => ({ pk: messagePk(tenant, smsId), sk: HEAD_SK });

/**
 * A batch's callbacks are spread over `batchShards(TotalReceiver)` partition keys by their recipient, so no
 * key of a large batch takes more than about RECIPIENTS_PER_SHARD recipients' callbacks in its whole life:
 * 256 recipients × ≤ 2 callbacks × 1 write unit stay under the 1,000 WCU a key is served per second, in
 * any arrival order and at any rate (docs/capacity.md). A batch of up to 256 (and every single-recipient
 * message) keeps its callbacks in the message's own partition, beside its head. Shard counts are powers of
 * two, and the head lists the ones its callbacks used (`ly`), so a reader knows every partition to visit.
 */
export const RECIPIENTS_PER_SHARD = 256;
export const MAX_BATCH_SHARDS = 1024;
export const batchShards = (totalReceiver: number, recipientsPerShard = RECIPIENTS_PER_SHARD): number => {
  if (totalReceiver <= recipientsPerShard) return 1;
  return Math.min(MAX_BATCH_SHARDS, 2 ** Math.ceil(Math.log2(Math.ceil(totalReceiver / recipientsPerShard))));
};
/** The shard of a recipient (as eSMS spelled it; `-` for a callback that names none). */
export const shardOf = (spelling: string, shards: number): number => (shards === 1 ? 0 : fnv1a(spelling) % shards);
/** The partition of a message's callbacks in layout `shards`: the message's own for 1, else `T#<tenant>#MB#<shards>.<shard>#<SMSID>`. */
export const callbackPk = (tenant: string, smsId: string, shards: number, shard: number): string =>
  (shards === 1 ? messagePk(tenant, smsId) : `T#${tenant}#MB#${shards}.${shard}#${smsId}`);
/** Every partition a message's callbacks may live in, given the layouts its head lists (the own partition always). */
export const callbackPartitions = (tenant: string, smsId: string, layouts: readonly number[] = []): string[] =>
  [...new Set([1, ...layouts])].sort((a, b) => a - b)
    .flatMap((shards) => Array.from({ length: shards }, (_, shard) => callbackPk(tenant, smsId, shards, shard)));
export const overflowKey = (tenant: string, smsId: string, phone: string | undefined, id: string, shards = 1) =>
  ({ pk: callbackPk(tenant, smsId, shards, shardOf(phone ?? '-', shards)), sk: `${OVERFLOW_SK_PREFIX}${phone ?? '-'}#${id}` });

const MESSAGE_PK = /^T#([^#]+)#M#(.+)$/;
const BATCH_SHARD_PK = /^T#([^#]+)#MB#(\d+)\.(\d+)#(.+)$/;
/** The tenant and SMSID of a message's key (its own partition or a batch shard), or undefined for any other item. */
export const parseMessagePk = (pk: string): { tenant: string; smsId: string } | undefined => {
  const shard = BATCH_SHARD_PK.exec(pk);
  if (shard) return { tenant: shard[1]!, smsId: shard[4]! };
  const match = MESSAGE_PK.exec(pk);
  return match ? { tenant: match[1]!, smsId: match[2]! } : undefined;
};

// FNV-1a: tiny and stable across runtimes; spreads recipients and days over shards and buckets.
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

export const dayIndexPk = (tenant: string, day: string, bucket: number): string => `T#${tenant}#D#${day}#${bucket}`;
/** The day-index attributes a head gets when it is created (never changed afterwards). */
export const dayIndexValues = (tenant: string, smsId: string, firstSeen: number) =>
  ({ [DAY_INDEX.hash]: dayIndexPk(tenant, vietnamDay(firstSeen), fnv1a(smsId) % DAY_INDEX.buckets), [DAY_INDEX.range]: firstSeen });

/** A distinct callback's id: its status and a hash of its canonical query (reordered/re-encoded retries share it). */
export const callbackId = (status: number, canonicalQuery: string): string =>
  `${status}#${createHash('sha256').update(canonicalQuery).digest('base64url').slice(0, 16)}`;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const StatusSchema = v.picklist([1, 2, 4, 5, 7]);
export type StoredStatus = v.InferOutput<typeof StatusSchema>;

const RANK = { 1: 0, 2: 1, 7: 2, 4: 3, 5: 3 } as const satisfies Record<StoredStatus, number>;

/**
 * Orders statuses so a later callback for the same SMSID never moves a message backwards:
 * 1 < 2 < 7 < {4, 5}. 4 and 5 share the final rank, so which final wins is the caller's decision. Part of
 * the stored shape: a head keeps its winner's rank (HEAD_ATTR.winnerRank) for the forward-only condition.
 */
export const statusRank = (status: StoredStatus): 0 | 1 | 2 | 3 => RANK[status];

export const isFinal = (status: StoredStatus): boolean => statusRank(status) === 3;

/** What every stored callback records: status, TypeId, [receivers, sent, success, failed], price (1/10,000 VND), receive time, route, source. */
const callbackFields = {
  s: StatusSchema,
  t: v.number(),
  n: v.tuple([Count, Count, Count, Count]),
  p: Count,
  at: v.number(),
  rt: v.string(),
  /** Recipient phone (or Zalo user id) as eSMS sent it. */
  ph: v.optional(v.string()),
  tc: v.optional(v.number()),
  /** `reconcile` when learnt from eSMS's pull APIs instead of a callback. */
  src: v.optional(v.picklist(['callback', 'reconcile'])),
};

/** A callback held inside the head: its fields plus the raw query. */
export const InlineCallbackSchema = v.object({ ...callbackFields, q: v.string() });
export type InlineCallback = v.InferOutput<typeof InlineCallbackSchema>;

/** The best overflow callback, summarised on the head (its raw query is in its own item). */
export const OverflowWinnerSchema = v.object({ ...callbackFields, id: v.string(), sh: v.optional(v.number()) });
export type OverflowWinner = v.InferOutput<typeof OverflowWinnerSchema>;

export const HeadSchema = v.looseObject({
  pk: v.string(),
  sk: v.literal(HEAD_SK),
  kind: v.literal('esms'),
  tenant: v.string(),
  smsId: v.string(),
  typeId: v.number(),
  route: v.string(),
  firstSeen: v.number(),
  lastSeen: v.number(),
  telcoId: v.optional(v.number()),
  phone: v.optional(v.string()),
  oaId: v.optional(v.string()),
  templateId: v.optional(v.string()),
  requestId: v.optional(v.string()),
  zmsg: v.optional(v.string()),
  ow: v.optional(OverflowWinnerSchema),
  /** Number of overflow items the head has been told about (informational). */
  oc: v.optional(v.number()),
  /** When the late-report sweep expired the message (epoch ms). */
  x: v.optional(v.number()),
  /** Batch layouts its callback items use (HEAD_ATTR.layouts), besides the message's own partition. */
  ly: v.optional(v.pipe(v.union([v.array(v.number()), v.set(v.number())]), v.transform((shards) => [...shards].sort((a, b) => a - b)))),
  /** HEAD_ATTR.writeVersion (absent on heads written before it existed). */
  wv: v.optional(v.number()),
});

export type StoredHead = v.InferOutput<typeof HeadSchema> & { inline: Array<{ id: string; entry: InlineCallback }> };

/** Parses a head (or a stream image of one) through the schema; throws a valibot error if foreign. */
export const readHead = (item: Record<string, unknown>): StoredHead => {
  const head = v.parse(HeadSchema, item);
  const inline = Object.keys(item)
    .filter((name) => name.startsWith(INLINE_PREFIX))
    .map((name) => ({ id: name.slice(INLINE_PREFIX.length), entry: v.parse(InlineCallbackSchema, item[name]) }));
  return { ...head, inline };
};

/**
 * A callback item of its own. Besides the callback it carries what the projector needs to create or advance
 * the head without reading the callback path again: the layout it was written in (`sh`), and the message's
 * description as this callback told it (first seen when not its own receive time, OA, template, RequestId).
 */
export const OverflowItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal('esms-cb'),
  tenant: v.string(),
  smsId: v.string(),
  id: v.string(),
  ...callbackFields,
  q: v.string(),
  zmsg: v.optional(v.string()),
  /** Shards of the layout the item lives in (1: the message's own partition). */
  sh: v.optional(v.number()),
  /** The message's report instant when it is not `at` (a discovered message: its SentTime). */
  fs: v.optional(v.number()),
  oa: v.optional(v.string()),
  tp: v.optional(v.string()),
  rq: v.optional(v.string()),
  [TTL_ATTRIBUTE]: v.optional(v.number()),
});
export type OverflowItem = v.InferOutput<typeof OverflowItemSchema>;

/** Upper bound of an inline entry's stored size (JSON is never smaller than DynamoDB's encoding). */
export const inlineSize = (id: string, entry: InlineCallback): number =>
  INLINE_PREFIX.length + id.length + Buffer.byteLength(JSON.stringify(entry), 'utf8');

/** The fields of a parsed callback that its stored entry keeps (lib/esms/schema.ts `EsmsCallback` has them). */
export interface CallbackFacts {
  sendStatus: StoredStatus;
  typeId: number;
  totalReceiver: number;
  totalSent: number;
  sendSuccess: number;
  sendFailed: number;
  priceE4: number;
  phone?: string | undefined;
  telcoId?: number | undefined;
}

/** A callback as it is stored and ranked: its counted fields, receive time, route and raw query. */
export const callbackEntry = (input: { event: CallbackFacts; raw: string; route: string; receivedAt: number; source?: 'callback' | 'reconcile' | undefined }): InlineCallback => {
  const { event, raw, route, receivedAt, source } = input;
  return {
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
  };
};

/** The callback as stored: its id (status + canonical query) and entry. */
export const storedCallback = (input: Parameters<typeof callbackEntry>[0] & { canonical: string }): { id: string; entry: InlineCallback } =>
  ({ id: callbackId(input.event.sendStatus, input.canonical), entry: callbackEntry(input) });
