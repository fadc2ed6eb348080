/**
 * The items one received Zalo event becomes (pure): the event item itself and its copies. See
 * lib/table/zalo.ts for the key design.
 */
import { headerValue, type Headers } from '../http/headers';
import { KIND } from '../table/names';
import { conversationPk, conversationSk, messagePk, ZALO_COPY_KIND, zaloEventKey, type StoredZaloEvent } from '../table/zalo';
import { ZALO_SERVER_HEADER, type ParsedZaloEvent } from './parse';
import type { ZaloEvent, ZaloFamily } from './schema';

/** The family of an event_name outside the catalogue: counted and listed under it. */
export const UNKNOWN_FAMILY = 'unknown';

export interface ReceivedZaloEvent {
  parsed: ParsedZaloEvent;
  appId: string;
  envelope: Record<string, unknown>;
  raw: string;
  headers: Headers;
  receivedAt: number;
}

/** Chat events: they make up a user's conversation with the OA. Receipts and OA-level events do not. */
const CONVERSATION_FAMILIES: ReadonlySet<ZaloFamily> = new Set(['user_message', 'oa_message', 'anonymous', 'reaction', 'interaction']);

const trackingIdOf = (event: ZaloEvent): string | undefined => {
  const message: unknown = 'message' in event ? event.message : undefined;
  if (typeof message !== 'object' || message === null || !('tracking_id' in message)) return undefined;
  return typeof message.tracking_id === 'string' ? message.tracking_id : undefined;
};

/** Unknown events: best effort, so an OA's unknown events still land under its own partition. */
const looseOaId = (envelope: Record<string, unknown>): string | undefined => {
  const value = envelope.oa_id ?? envelope.oaId;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

type Facts = Pick<StoredZaloEvent, 'family' | 'eventName' | 'oaId' | 'userId' | 'zns' | 'trackingId' | 'deliveredAt'> & { msgIds: string[] };

const facts = (parsed: ParsedZaloEvent, envelope: Record<string, unknown>): Facts =>
  parsed.known
    ? {
        family: parsed.family,
        eventName: parsed.event.event_name,
        oaId: parsed.oaId,
        userId: parsed.userId,
        msgIds: parsed.msgIds,
        zns: parsed.zns || undefined,
        trackingId: trackingIdOf(parsed.event),
        deliveredAt: parsed.deliveredAt,
      }
    : { family: UNKNOWN_FAMILY, eventName: parsed.eventName, oaId: looseOaId(envelope), msgIds: [] };

/** The event item: small on purpose (facts + the raw body), so a seed-sized event costs one WCU. */
export const eventItem = ({ parsed, appId, envelope, raw, headers, receivedAt }: ReceivedZaloEvent): StoredZaloEvent => {
  const known = facts(parsed, envelope);
  const item: StoredZaloEvent = {
    ...zaloEventKey({ msgIds: known.msgIds, oaId: known.oaId, appId, eventTime: parsed.eventTime, dedupKey: parsed.dedupKey }),
    kind: KIND.zalo,
    ...known,
    msgIds: known.msgIds.length > 0 ? known.msgIds : undefined,
    appId,
    eventTime: parsed.eventTime,
    receivedAt,
    server: headerValue(headers, ZALO_SERVER_HEADER),
    retry: headerValue(headers, 'num_retry'),
    raw,
  };
  // Absent rather than undefined: the item is also marshalled by plain clients (stream images, tests).
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as StoredZaloEvent;
};

/**
 * Copies of the event under other keys: one per further msg_id (so every message a seen receipt names
 * finds it), and one in the OA–user conversation for chat events.
 */
export const copyItems = (item: StoredZaloEvent, parsed: ParsedZaloEvent): StoredZaloEvent[] => {
  const copy = (key: { pk: string; sk: string }): StoredZaloEvent => ({ ...item, ...key, kind: ZALO_COPY_KIND, copyOf: item.pk });
  const further = (item.msgIds ?? []).slice(1).map((msgId) => copy({ pk: messagePk(msgId), sk: item.sk }));
  const { oaId, userId } = item;
  if (!parsed.known || !CONVERSATION_FAMILIES.has(parsed.family) || oaId === undefined || userId === undefined) return further;
  return [...further, copy({ pk: conversationPk(oaId, userId), sk: conversationSk(item.eventTime, parsed.dedupKey) })];
};
