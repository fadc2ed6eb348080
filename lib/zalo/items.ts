/**
 * The items one received Zalo event becomes (pure): the event item itself and, for chat events, its
 * conversation copy. See lib/table/zalo.ts for the key design.
 */
import { headerValue, type Headers } from '../headers';
import { KIND } from '../table/names';
import { conversationPk, conversationSk, isReceiptsPk, ZALO_COPY_KIND, zaloEventKey, type StoredZaloEvent } from '../table/zalo';
import { ZALO_SERVER_HEADER, type KnownZaloEvent } from './parse';
import type { ZaloEvent, ZaloFamily } from './schema';

export interface ReceivedZaloEvent {
  parsed: KnownZaloEvent;
  /** The tenant owning the app the event came through. */
  tenant: string;
  appId: string;
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

/**
 * The event item: small on purpose (facts + the raw body), so a seed-sized event costs one WCU. A receipt
 * naming N messages is still one item (its raw body names them), bounded by the webhook's body limit.
 */
/** An event item as written: its tenant is always set. */
export type NewZaloEvent = StoredZaloEvent & { tenant: string };

export const eventItem = ({ parsed, tenant, appId, raw, headers, receivedAt }: ReceivedZaloEvent): NewZaloEvent => {
  const { family, oaId, userId, msgIds, zns, deliveredAt, eventTime, dedupKey } = parsed;
  const key = zaloEventKey({ tenant, msgIds, oaId, userId, appId, eventTime, dedupKey });
  const idsInRawOnly = isReceiptsPk(key.pk);
  const item: NewZaloEvent = {
    ...key,
    kind: KIND.zalo,
    tenant,
    family,
    eventName: parsed.event.event_name,
    oaId,
    userId,
    msgIds: msgIds.length > 0 && !idsInRawOnly ? msgIds : undefined,
    msgCount: idsInRawOnly ? msgIds.length : undefined,
    zns: zns || undefined,
    trackingId: trackingIdOf(parsed.event),
    deliveredAt,
    appId,
    eventTime,
    receivedAt,
    server: headerValue(headers, ZALO_SERVER_HEADER),
    retry: headerValue(headers, 'num_retry'),
    raw,
  };
  // Absent rather than undefined: the item is also marshalled by plain clients (stream images, tests).
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as NewZaloEvent;
};

/** The conversation copy of a chat event (none for receipts and OA-level events). */
export const copyItems = (item: NewZaloEvent, parsed: KnownZaloEvent): StoredZaloEvent[] => {
  const { oaId, userId } = item;
  if (!CONVERSATION_FAMILIES.has(parsed.family) || oaId === undefined || userId === undefined) return [];
  const key = { pk: conversationPk(item.tenant, oaId, userId), sk: conversationSk(item.eventTime, parsed.dedupKey) };
  return [{ ...item, ...key, kind: ZALO_COPY_KIND, copyOf: item.pk }];
};
