/**
 * The rejected log's items: every request refused as malformed (or kept unparsed) with its raw bytes,
 * per tenant and Vietnam day, newest first by their sort key (ISO receive time + a random suffix).
 */
import * as v from 'valibot';
import { vietnamDay } from '../time';

/**
 * Raw bytes kept of a rejected request, per source. A malformed eSMS query is cut at 8 KiB (no real one comes
 * near; the size is stated). A Zalo body is kept whole up to the webhook's body limit (lib/http/limits.ts
 * refuses larger ones with a 413): an unparsed event was answered 200, so Zalo never sends it again and
 * the kept copy is the only one a replay can use.
 */
export const MAX_REJECTED_RAW_BYTES = { esms: 8192, zalo: 128 * 1024 } as const;

export const RejectedItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal('rejected'),
  tenant: v.optional(v.string()),
  source: v.picklist(['esms', 'zalo']),
  route: v.string(),
  status: v.number(),
  field: v.string(),
  reason: v.string(),
  raw: v.string(),
  /** Size of the original raw request when `raw` had to be truncated. */
  rawBytes: v.optional(v.number()),
  headers: v.optional(v.record(v.string(), v.string())),
  receivedAt: v.number(),
  replayedAt: v.optional(v.number()),
  replayOutcome: v.optional(v.string()),
});
export type RejectedItem = v.InferOutput<typeof RejectedItemSchema>;

export const rejectedDayPk = (tenant: string, day: string): string => `T#${tenant}#REJ#${day}`;

/** A rejected entry's id is its sort key, which starts with its ISO receive time: the day follows from it. */
export const rejectedKey = (tenant: string, id: string) => ({ pk: rejectedDayPk(tenant, vietnamDay(Date.parse(id.split('#')[0] ?? ''))), sk: id });

export const isRejectedId = (id: string): boolean => id.length <= 64 && !Number.isNaN(Date.parse(id.split('#')[0] ?? ''));

/** `raw` cut to `maxBytes` on a character boundary, with the original size when it was cut. */
export const boundedRaw = (raw: string, maxBytes: number): { raw: string; rawBytes?: number } => {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes <= maxBytes) return { raw };
  let cut = Buffer.from(raw, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return { raw: cut, rawBytes: bytes };
};
