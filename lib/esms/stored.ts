/**
 * How an eSMS message lives in DynamoDB: one item per SMSID × recipient. Each distinct callback is one
 * top-level attribute `c#<status>#<hash of its canonical query>`, so a retry is recognised by a
 * condition on that attribute alone and the whole write stays a single UpdateItem. The current state
 * is never stored: it is derived from the entries (see state.ts), so no write can move it backwards.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';

export const ENTRY_PREFIX = 'c#';

export const esmsKey = (smsId: string, phone: string | undefined) => ({ pk: `ESMS#${smsId}`, sk: `R#${phone ?? '-'}` });

export const entryName = (status: number, canonicalQuery: string): string =>
  `${ENTRY_PREFIX}${status}#${createHash('sha256').update(canonicalQuery).digest('hex').slice(0, 16)}`;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** One distinct callback: status, TypeId, [receivers, sent, success, failed], price in 1/10000 VND, raw query, route. */
export const CallbackEntrySchema = v.object({
  s: v.picklist([1, 2, 4, 5, 7]),
  t: v.optional(v.number()),
  n: v.tuple([Count, Count, Count, Count]),
  p: Count,
  at: v.number(),
  q: v.string(),
  rt: v.string(),
});
export type CallbackEntry = v.InferOutput<typeof CallbackEntrySchema>;

export const StoredEsmsMessageSchema = v.looseObject({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal('esms'),
  smsId: v.string(),
  phone: v.optional(v.string()),
  typeId: v.number(),
  telcoId: v.optional(v.number()),
  oaId: v.optional(v.string()),
  templateId: v.optional(v.string()),
  requestId: v.optional(v.string()),
  zmsg: v.optional(v.string()),
  route: v.string(),
  firstSeen: v.number(),
  lastSeen: v.number(),
  ver: v.number(),
});
export type StoredEsmsMessage = v.InferOutput<typeof StoredEsmsMessageSchema> & {
  entries: Array<{ name: string; entry: CallbackEntry }>;
};

/** Parses a stored item (or a stream image) back through the schema; throws a valibot error if foreign. */
export const readEsmsItem = (item: Record<string, unknown>): StoredEsmsMessage => {
  const message = v.parse(StoredEsmsMessageSchema, item);
  const entries = Object.keys(item)
    .filter((name) => name.startsWith(ENTRY_PREFIX))
    .map((name) => ({ name, entry: v.parse(CallbackEntrySchema, item[name]) }));
  return { ...message, entries };
};
