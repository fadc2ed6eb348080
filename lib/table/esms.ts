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

export const HEAD_SK = '#';
export const OVERFLOW_SK_PREFIX = 'C#';
export const INLINE_PREFIX = 'c#';

/** Bytes of inline callbacks a head may hold (entries are measured as their JSON, an upper bound of DynamoDB's size). */
export const INLINE_BUDGET_BYTES = 1200;
/** Longest raw query an accepted callback may have: its overflow item then stays under 4 KB. */
export const MAX_CALLBACK_QUERY_BYTES = 3700;

/** Sparse GSI of heads by tenant and report day (bucketed, so one busy day is not one hot key), newest first by `ds`. */
export const DAY_INDEX = { name: 'byDay', hash: 'dk', range: 'ds', buckets: 4 } as const;

/** Sparse GSI of heads by the partner's own RequestId, newest first by `ds` (set once, when the head is created). */
export const REQUEST_INDEX = { name: 'byRequestId', hash: 'rk', range: 'ds' } as const;
export const requestIndexPk = (tenant: string, requestId: string): string => `T#${tenant}#R#${requestId}`;

/**
 * The phone index: one small item per (phone, SMSID) in the phone's own partition (`T#<tenant>#P#<phone>`,
 * `sk = M#<SMSID>`), written once per pair by the aggregator from the stream (lib/aggregate/phone-pairs.ts),
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

/** What an erased phone becomes in heads, callback items, their sort keys and raw queries. */
export const ERASED_PHONE = 'erased';

export const messagePk = (tenant: string, smsId: string): string => `T#${tenant}#M#${smsId}`;
export const headKey = (tenant: string, smsId: string) => ({ pk: messagePk(tenant, smsId), sk: HEAD_SK });
export const overflowKey = (tenant: string, smsId: string, phone: string | undefined, id: string) =>
  ({ pk: messagePk(tenant, smsId), sk: `${OVERFLOW_SK_PREFIX}${phone ?? '-'}#${id}` });

const MESSAGE_PK = /^T#([^#]+)#M#(.+)$/;
/** The tenant and SMSID of a message key, or undefined for any other item. */
export const parseMessagePk = (pk: string): { tenant: string; smsId: string } | undefined => {
  const match = MESSAGE_PK.exec(pk);
  return match ? { tenant: match[1]!, smsId: match[2]! } : undefined;
};

const bucketOf = (smsId: string): number => createHash('sha256').update(smsId).digest()[0]! % DAY_INDEX.buckets;
export const dayIndexPk = (tenant: string, day: string, bucket: number): string => `T#${tenant}#D#${day}#${bucket}`;
/** The day-index attributes a head gets when it is created (never changed afterwards). */
export const dayIndexValues = (tenant: string, smsId: string, firstSeen: number) =>
  ({ [DAY_INDEX.hash]: dayIndexPk(tenant, vietnamDay(firstSeen), bucketOf(smsId)), [DAY_INDEX.range]: firstSeen });

/** A distinct callback's id: its status and a hash of its canonical query (reordered/re-encoded retries share it). */
export const callbackId = (status: number, canonicalQuery: string): string =>
  `${status}#${createHash('sha256').update(canonicalQuery).digest('base64url').slice(0, 16)}`;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const StatusSchema = v.picklist([1, 2, 4, 5, 7]);

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
export const OverflowWinnerSchema = v.object({ ...callbackFields, id: v.string() });
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
});
export type OverflowItem = v.InferOutput<typeof OverflowItemSchema>;

/** Upper bound of an inline entry's stored size (JSON is never smaller than DynamoDB's encoding). */
export const inlineSize = (id: string, entry: InlineCallback): number =>
  INLINE_PREFIX.length + id.length + Buffer.byteLength(JSON.stringify(entry), 'utf8');
