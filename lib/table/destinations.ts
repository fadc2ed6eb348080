/**
 * Event destinations in the messages table (docs/destinations.md). Every key starts with the tenant:
 * - `T#<tenant>#DEST` / `<id>`: a destination (URL, event filter, sealed secrets, enabled, failing-since).
 * - `T#<tenant>#DATT#<id>` / `<at>#<eventId>#<attempt>`: one delivery attempt (TTL), listed newest first.
 * - `T#<tenant>#EVT#<day>#<bucket>` / `<at>#<eventId>`: the tenant's event log (TTL): the exact body of each event,
 *   so a replay re-sends the same id with the byte-identical body. A day is spread over `EVENT_LOG_BUCKETS`
 *   partitions by a hash of the event id (as the day index spreads heads), so one tenant's day is not held to one
 *   partition's 1,000 writes a second; readers read every bucket (and the unbucketed `T#<tenant>#EVT#<day>` of
 *   events logged before the buckets, until their 30-day TTL has removed them).
 * - `T#<tenant>#ALERT#<day>`: what alerts are derived from: `LOST#<at>#<run>` a reconciliation's finding of lost
 *   callbacks (kind `callbacks-lost`, the projector derives `alert.callbacks_lost` from its INSERT record), and
 *   `UNPARSED#<hour>` the claim of a Vietnam-time hour's `alert.unparsed_events` (kind `alert-claim`: the
 *   first kept raw item of the hour claims it, so a flood makes one alert an hour).
 * None of them but `callbacks-lost` is of a kind the aggregator or the projector reads (their stream filters drop them).
 */
import * as v from 'valibot';
import { shardOf } from './esms';
import { TTL_ATTRIBUTE } from './names';

export const DESTINATION_KIND = 'destination';
export const ATTEMPT_KIND = 'destination-attempt';
export const EVENT_KIND = 'event';

export const destinationsPk = (tenant: string): string => `T#${tenant}#DEST`;
export const destinationKey = (tenant: string, id: string) => ({ pk: destinationsPk(tenant), sk: id });
export const attemptsPk = (tenant: string, id: string): string => `T#${tenant}#DATT#${id}`;
/** A destination's in-flight slots: `T#<tenant>#DFLY#<id>` / `S#<k>`, each a lease (lib/store/destination-slots.ts). */
export const SLOT_KIND = 'destination-slot';
export const slotsPk = (tenant: string, id: string): string => `T#${tenant}#DFLY#${id}`;
export const slotKey = (tenant: string, id: string, slot: number) => ({ pk: slotsPk(tenant, id), sk: `S#${slot}` });
/** Partitions per tenant and day of the event log: ≈ 8,000 logged events a second per tenant before DynamoDB throttles. */
export const EVENT_LOG_BUCKETS = 8;
/** A bucket of a tenant's day of events; without `bucket`, the day's key before buckets existed (read, never written). */
export const eventLogPk = (tenant: string, day: string, bucket?: number): string => `T#${tenant}#EVT#${day}${bucket === undefined ? '' : `#${bucket}`}`;
/** The bucket an event is logged in: a hash of its id, so a redelivered event overwrites its own item. */
export const eventLogBucket = (eventId: string): number => shardOf(eventId, EVENT_LOG_BUCKETS);
/** Every partition a reader of one tenant-day looks at: the buckets, then the day's key of before buckets. */
export const eventLogPartitions = (tenant: string, day: string): string[] =>
  [...Array.from({ length: EVENT_LOG_BUCKETS }, (_, bucket) => eventLogPk(tenant, day, bucket)), eventLogPk(tenant, day)];

export const CALLBACKS_LOST_KIND = 'callbacks-lost';
export const ALERT_CLAIM_KIND = 'alert-claim';
export const alertsPk = (tenant: string, day: string): string => `T#${tenant}#ALERT#${day}`;
/** The Vietnam-time hour of a time, `YYYY-MM-DDTHH` (the unparsed alert's coalescing period). */
export const vietnamHour = (at: number): string => new Date(at + 7 * 3_600_000).toISOString().slice(0, 13);
export const unparsedClaimKey = (tenant: string, hour: string) => ({ pk: alertsPk(tenant, hour.slice(0, 10)), sk: `UNPARSED#${hour}` });

/** A reconciliation run's finding: callbacks lost (a pending message eSMS knows more of) or never seen (an SMSID never called back). */
export const CallbacksLostItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(CALLBACKS_LOST_KIND),
  tenant: v.string(),
  at: v.number(),
  from: v.number(),
  to: v.number(),
  checked: v.number(),
  /** Messages whose lost callback reconciliation completed (never-seen ones not included). */
  lost: v.number(),
  /** SMSIDs eSMS sent that were never called back. */
  neverSeen: v.number(),
  lostSmsIds: v.array(v.string()),
  neverSeenSmsIds: v.array(v.string()),
  [TTL_ATTRIBUTE]: v.number(),
});
export type CallbacksLostItem = v.InferOutput<typeof CallbacksLostItemSchema>;

/** Sort keys start with the time as 15 digits of epoch ms, so a page of them is in time order. */
export const timeSk = (at: number, ...rest: Array<string | number>): string => [String(at).padStart(15, '0'), ...rest].join('#');

/** Destination ids: `dst_` and 20 lowercase base32 characters (random). */
export const DESTINATION_ID_PATTERN = /^dst_[a-z2-7]{20}$/;

/** Where a destination's sealed secrets are bound (lib/seal.ts additional data). */
export const destinationSealContext = (tenant: string, id: string, slot: 'secret' | 'previous'): string => `messages:destination:${tenant}:${id}:${slot}`;

/** Attempts and the event log are kept this long (days): replay reaches back as far. */
export const EVENT_RETENTION_DAYS = 30;

export const DestinationItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(DESTINATION_KIND),
  tenant: v.string(),
  url: v.string(),
  /** Event types it receives; absent: every type. */
  events: v.optional(v.array(v.string())),
  description: v.optional(v.string()),
  enabled: v.boolean(),
  /** Sealed `whsec_…` (context `secret`). */
  secret: v.string(),
  /** The secret before the last rotation (context `previous`), signing beside the new one until `previousUntil`. */
  previous: v.optional(v.string()),
  previousUntil: v.optional(v.number()),
  /** Why it was disabled (`failing`: every attempt failed for 5 days; `patch`: by its owner). */
  disabledReason: v.optional(v.string()),
  /** Epoch ms of the first failed attempt since the last success; absent while it succeeds. */
  failingSince: v.optional(v.number()),
  createdAt: v.number(),
  updatedAt: v.number(),
});
export type DestinationItem = v.InferOutput<typeof DestinationItemSchema>;

export const AttemptItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(ATTEMPT_KIND),
  eventId: v.string(),
  type: v.string(),
  at: v.number(),
  /** 1-based attempt number of this delivery (replays start again at 1). */
  attempt: v.number(),
  status: v.optional(v.number()),
  error: v.optional(v.string()),
  durationMs: v.number(),
  /** At most 1 KB of the receiver's answer. */
  answer: v.optional(v.string()),
  ok: v.boolean(),
  /** The last attempt of the schedule failed: the event is listed failed (replay recovers it). */
  failed: v.optional(v.boolean()),
  [TTL_ATTRIBUTE]: v.number(),
});
export type AttemptItem = v.InferOutput<typeof AttemptItemSchema>;

export const EventItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(EVENT_KIND),
  id: v.string(),
  type: v.string(),
  at: v.number(),
  /** The exact JSON body every attempt and replay sends. */
  body: v.string(),
  [TTL_ATTRIBUTE]: v.number(),
});
export type EventItem = v.InferOutput<typeof EventItemSchema>;
