/**
 * Suppressions: one item per (tenant, subject), the subject being a normalised phone number or a Zalo user
 * id, whose latest outcome says a new Zalo send will fail (lib/suppressions/derive.ts). Written only by the
 * projector from the messages table's stream, never on the callback path.
 *
 * Spread over SUPPRESSION_BUCKETS partitions per tenant (`T#<tenant>#SUP#<bucket>`, sk `S#<subject>`) by a
 * hash of the subject: a campaign's failures (100,000 recipients refusing ZNS within seconds) then write at
 * most 1/16 of them to one partition key. A list walks the buckets in order.
 *
 * A cleared subject keeps its item as a tombstone (`suppressed` false, expiring after TOMBSTONE_DAYS), so a
 * stale suppressing outcome arriving after a newer clearing one cannot set it again: every write is
 * conditional on its order (`ord`, event time first) being newer than the stored one.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { TTL_ATTRIBUTE } from './names';

export const SUPPRESSION_KIND = 'sup';
export const SUPPRESSION_BUCKETS = 16;
/** How long a cleared subject's order is kept (the stream keeps records 24 h; reconciliation may bring older callbacks). */
export const TOMBSTONE_DAYS = 7;
export const SUPPRESSION_SK_PREFIX = 'S#';

export const suppressionBucket = (subject: string): number => createHash('sha256').update(subject).digest().readUInt32BE(0) % SUPPRESSION_BUCKETS;
export const suppressionPk = (tenant: string, bucket: number): string => `T#${tenant}#SUP#${bucket}`;
export const suppressionKey = (tenant: string, subject: string) =>
  ({ pk: suppressionPk(tenant, suppressionBucket(subject)), sk: `${SUPPRESSION_SK_PREFIX}${subject}` });

/** The order of a change: event time, then a rank that breaks ties (a suppressing outcome beats a clearing one of the same millisecond). */
export const suppressionOrder = (eventTime: number, rank: number): string => `${String(Math.max(0, Math.trunc(eventTime))).padStart(15, '0')}#${rank}`;

export const SuppressionItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(SUPPRESSION_KIND),
  tenant: v.string(),
  subject: v.string(),
  /** `phone` or `zalo-user`. */
  subjectType: v.picklist(['phone', 'zalo-user']),
  suppressed: v.boolean(),
  /** The order of the last change applied (suppressionOrder). */
  ord: v.string(),
  /** When the change applied happened (epoch ms): `since` of a suppression, or when it was cleared. */
  at: v.number(),
  reason: v.optional(v.string()),
  reasonVi: v.optional(v.string()),
  code: v.optional(v.number()),
  /** What showed it: `esms`, `zalo`, or `manual` (DELETE /api/suppressions/{phone}). */
  source: v.string(),
  smsId: v.optional(v.string()),
  msgId: v.optional(v.string()),
  oaId: v.optional(v.string()),
  event: v.optional(v.string()),
  [TTL_ATTRIBUTE]: v.optional(v.number()),
});
export type SuppressionItem = v.InferOutput<typeof SuppressionItemSchema>;
