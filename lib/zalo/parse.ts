import * as v from 'valibot';
import { ParseError } from '../errors';
import { dedupKey, rawBodyKey } from './dedup';
import { headerValue, type Headers } from '../http/headers';
import { ZALO_GROUP_BY_NAME, ZaloEventSchema, type ZaloEvent, type ZaloFamily } from './schema';

export const ZALO_SERVER_HEADER = 'X-ZEvent-Server';

export interface KnownZaloEvent {
  known: true;
  event: ZaloEvent;
  family: ZaloFamily;
  oaId?: string;
  userId?: string;
  msgIds: string[];
  dedupKey: string;
  /** The envelope's `timestamp` in epoch ms. */
  eventTime: number;
  /** A ZNS ("message by phone") delivery receipt rather than an OA-chat event. */
  zns: boolean;
  /** ZNS receipts: when the phone received the message (`message.delivery_time`), not when Zalo told us. */
  deliveredAt?: number;
}

/** A signed event whose event_name is not in the catalogue: kept raw and counted, never lost. */
export interface UnknownZaloEvent {
  known: false;
  eventName: string;
  dedupKey: string;
  eventTime: number;
}

export type ParsedZaloEvent = KnownZaloEvent | UnknownZaloEvent;

const EPOCH_MS = /^\d{1,16}$/;

/**
 * Turns a verified envelope into a typed event with the facts storage and reporting need.
 * Throws `ParseError` naming the offending field path when a known event does not match its schema.
 * `rawBody` feeds the fallback dedup key (sha256 of the body) for events without a natural key.
 */
export const parseZaloEvent = (envelope: unknown, headers: Headers, rawBody?: string): ParsedZaloEvent => {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new ParseError('body', 'body must be a JSON object');
  }
  const { event_name: eventName, timestamp } = envelope as Record<string, unknown>;
  if (typeof eventName !== 'string' || eventName === '') {
    throw new ParseError('event_name', 'event_name is missing or not a string');
  }
  if (typeof timestamp !== 'string' || !EPOCH_MS.test(timestamp)) {
    throw new ParseError('timestamp', 'timestamp is missing or not a string of epoch-ms digits');
  }
  const eventTime = Number(timestamp);
  const group = ZALO_GROUP_BY_NAME.get(eventName);
  if (group === undefined) return { known: false, eventName, dedupKey: rawBodyKey(envelope, rawBody), eventTime };

  const result = v.safeParse(ZaloEventSchema, envelope);
  if (!result.success) {
    const issue = result.issues[0];
    const field = v.getDotPath(issue) ?? 'body';
    // valibot echoes the received value; keep a hostile one from bloating the 400 body and the logs.
    throw new ParseError(field, `${eventName}: ${field}: ${issue.message}`.slice(0, 300));
  }
  const znsHeader = headerValue(headers, ZALO_SERVER_HEADER)?.trim().toUpperCase() === 'ZNS';
  const facts = group.facts(result.output, { znsHeader });
  return {
    known: true,
    event: result.output,
    family: facts.family,
    ...(facts.oaId !== undefined && { oaId: facts.oaId }),
    ...(facts.userId !== undefined && { userId: facts.userId }),
    msgIds: facts.msgIds,
    dedupKey: dedupKey(facts.key, envelope, rawBody),
    eventTime,
    zns: facts.zns ?? false,
    ...(facts.deliveredAt !== undefined && { deliveredAt: facts.deliveredAt }),
  };
};
