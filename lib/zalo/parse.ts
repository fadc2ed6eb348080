import * as v from 'valibot';
import { dedupKey } from './dedup';
import { headerValue, type Headers } from '../headers';
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

/**
 * A signed event the parsers cannot read: an event_name outside the catalogue, or a known one whose
 * fields have an unexpected shape. Kept raw and listed as unparsed (never refused: Zalo disables a
 * webhook that answers non-200), replayable once a parser learns it.
 */
export interface UnparsedZaloEvent {
  known: false;
  eventName: string | undefined;
  /** The offending field's path (`event_name` for an unknown name, `body` for a non-object). */
  field: string;
  reason: string;
}

export type ParsedZaloEvent = KnownZaloEvent | UnparsedZaloEvent;

const unparsed = (eventName: string | undefined, field: string, reason: string): UnparsedZaloEvent =>
  // Bounded: a hostile event name or path must not bloat the stored reason and the logs.
  ({ known: false, eventName, field: field.slice(0, 200), reason: reason.slice(0, 300) });

/** What a value is, never what it says (chat text and phones must not reach a reason that is logged). */
const kindOf = (input: unknown): string =>
  typeof input === 'string' ? `a string of ${input.length} characters` : Array.isArray(input) ? `an array of ${input.length}` : input === null ? 'null' : typeof input;

/** valibot's message with the value it echoes (`received "…"`) replaced by what kind of value it was. */
const issueText = (issue: v.BaseIssue<unknown>): string =>
  issue.received !== undefined && issue.received !== 'unknown' && issue.message.includes(issue.received) && typeof issue.input !== 'number'
    ? issue.message.replace(issue.received, kindOf(issue.input))
    : issue.message;

/**
 * Turns a verified envelope into a typed event with the facts storage and reporting need, or says why it
 * cannot (never throws). Ids and times sent as JSON integers instead of digit strings, `null` for an
 * optional field, missing optional fields and extra fields are all read; anything else is unparsed.
 * `rawBody` feeds the fallback dedup key (sha256 of the body) for events without a natural key.
 */
export const parseZaloEvent = (envelope: unknown, headers: Headers, rawBody?: string): ParsedZaloEvent => {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return unparsed(undefined, 'body', 'body is not a JSON object');
  }
  const { event_name: eventName } = envelope as Record<string, unknown>;
  if (typeof eventName !== 'string' || eventName === '') return unparsed(undefined, 'event_name', 'event_name is missing or not a string');
  const group = ZALO_GROUP_BY_NAME.get(eventName);
  if (group === undefined) return unparsed(eventName, 'event_name', `event_name ${eventName} is not one the receiver knows`);

  const result = v.safeParse(ZaloEventSchema, envelope);
  if (!result.success) {
    const issue = result.issues[0];
    const field = v.getDotPath(issue) ?? 'body';
    return unparsed(eventName, field, `${eventName}: ${field}: ${issueText(issue)}`);
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
    eventTime: Number(result.output.timestamp),
    zns: facts.zns ?? false,
    ...(facts.deliveredAt !== undefined && { deliveredAt: facts.deliveredAt }),
  };
};
