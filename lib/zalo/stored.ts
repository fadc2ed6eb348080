/**
 * How a Zalo event lives in the messages table. One item per event (kind `zalo`, the only one the
 * aggregator counts), written with one conditional Put so a redelivery is recognised by its key:
 * - an event about messages: pk `ZMSG#<first msg_id>`, sk `E#<dedup key>`;
 * - any other event: pk `ZEV#<oa_id, or app:<app_id>>#<Vietnam day of its timestamp>`, sk `E#<dedup key>`.
 * Copies (kind `zalo_copy`, never counted) make the same event findable under other keys: one per further
 * msg_id of a `user_seen_message`, and one in the (OA, user) conversation for chat events.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { vietnamDay } from '../time';
import { KIND } from '../table/names';

/** Copies of an event under another key; not in the aggregator's stream filter, never counted. */
export const ZALO_COPY_KIND = 'zalo_copy';
export const UNKNOWN_FAMILY = 'unknown';

const MAX_SK_KEY = 160;

/** Seen receipts with many msg_ids make long keys; past a bound the key becomes its hash (still unique). */
export const compactKey = (dedupKey: string): string =>
  dedupKey.length <= MAX_SK_KEY ? dedupKey : `${dedupKey.split('#')[0]}#h#${createHash('sha256').update(dedupKey).digest('hex').slice(0, 40)}`;

export const messagePk = (msgId: string): string => `ZMSG#${msgId}`;
export const conversationPk = (oaId: string, userId: string): string => `ZCONV#${oaId}#${userId}`;
/** Epoch ms padded so the conversation's sort key orders by time. */
export const conversationSk = (eventTime: number, dedupKey: string): string =>
  `T#${String(eventTime).padStart(15, '0')}#${compactKey(dedupKey)}`;

export interface EventKeyInput {
  msgIds: readonly string[];
  oaId?: string | undefined;
  appId: string;
  eventTime: number;
  dedupKey: string;
}

export const zaloEventKey = ({ msgIds, oaId, appId, eventTime, dedupKey }: EventKeyInput): { pk: string; sk: string } => ({
  pk: msgIds[0] !== undefined ? messagePk(msgIds[0]) : `ZEV#${oaId ?? `app:${appId}`}#${vietnamDay(eventTime)}`,
  sk: `E#${compactKey(dedupKey)}`,
});

const Id = v.pipe(v.string(), v.minLength(1));

/** A stored event or copy, as read back from the table or a stream image. */
export const StoredZaloEventSchema = v.looseObject({
  pk: v.string(),
  sk: v.string(),
  kind: v.picklist([KIND.zalo, ZALO_COPY_KIND]),
  family: v.string(),
  eventName: v.string(),
  appId: v.string(),
  oaId: v.optional(Id),
  userId: v.optional(Id),
  msgIds: v.optional(v.array(Id)),
  eventTime: v.number(),
  receivedAt: v.number(),
  zns: v.optional(v.boolean()),
  trackingId: v.optional(v.string()),
  deliveredAt: v.optional(v.number()),
  /** The `X-ZEvent-Server` header (ZNS events), the `num_retry` header of the stored delivery. */
  server: v.optional(v.string()),
  retry: v.optional(v.string()),
  raw: v.string(),
  /** On copies: the pk of the event item. */
  copyOf: v.optional(v.string()),
});
export type StoredZaloEvent = v.InferOutput<typeof StoredZaloEventSchema>;

export const readZaloItem = (item: Record<string, unknown>): StoredZaloEvent => v.parse(StoredZaloEventSchema, item);
