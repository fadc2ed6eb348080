/**
 * The events destinations receive (docs/destinations.md has one example per type), and their envelope:
 * `{"type","timestamp","data"}`, serialised once when the event is made, so every attempt and every replay
 * sends the same bytes under the same `webhook-id`.
 */
import * as v from 'valibot';
import { vietnamIso } from '../time';

export const EVENT_TYPES = [
  'esms.message.updated',
  'esms.recipient.updated',
  'zalo.message.status',
  'zalo.follower.changed',
  'zalo.consent.changed',
  'zalo.template.changed',
  'zalo.quota.changed',
  'zalo.user_message',
  'zalo.oa.disconnected',
  'alert.callbacks_lost',
  'alert.unparsed_events',
  'alert.destination_disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number] | 'destination.test';
export const TEST_EVENT = 'destination.test';

/** An event as made: its id (`webhook-id`), type, time (epoch ms) and the body every delivery sends. */
export interface PlatformEvent {
  id: string;
  type: string;
  at: number;
  body: string;
}

export const makeEvent = (id: string, type: EventType, at: number, data: Record<string, unknown>): PlatformEvent =>
  ({ id, type, at, body: JSON.stringify({ type, timestamp: vietnamIso(at), data }) });

/** Whether a destination's filter takes a type (no filter: every type; `destination.test` goes only where it is sent). */
export const wants = (filter: readonly string[] | undefined, type: string): boolean =>
  type !== TEST_EVENT && (filter === undefined || filter.includes(type));

/**
 * One delivery on the queue: an event for one destination, the attempt it is at, and what is left of the
 * wait before it (SQS holds a message at most 15 minutes, so longer waits hop).
 */
export const DeliveryTaskSchema = v.object({
  tenant: v.string(),
  destination: v.string(),
  event: v.object({ id: v.string(), type: v.string(), at: v.number(), body: v.string() }),
  /** 1-based number of the attempt this message makes. */
  attempt: v.number(),
  /** Seconds still to wait before the attempt (after this hop's SQS delay). */
  wait: v.optional(v.number()),
  replay: v.optional(v.boolean()),
});
export type DeliveryTask = v.InferOutput<typeof DeliveryTaskSchema>;
