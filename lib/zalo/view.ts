/** What the read API shows of stored Zalo events and followers. */
import { ZALO_COPY_KIND, type FollowerItem, type StoredZaloEvent } from '../table/zalo';
import { vietnamIso } from '../time';

/** Every timestamp shown is ISO 8601 with `+07:00`, as on every other route. */
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : vietnamIso(ms));

const body = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** A receipt naming several messages keeps their ids only in its body (`message.msg_ids`). */
const idsInBody = (parsed: unknown): string[] => {
  const message = typeof parsed === 'object' && parsed !== null ? (parsed as { message?: { msg_ids?: unknown } }).message : undefined;
  return Array.isArray(message?.msg_ids) ? message.msg_ids.filter((id): id is string => typeof id === 'string') : [];
};

export const zaloEventView = (item: StoredZaloEvent) => {
  const parsed = body(item.raw);
  return {
    eventName: item.eventName,
    family: item.family,
    oaId: item.oaId ?? null,
    userId: item.userId ?? null,
    msgIds: item.msgIds ?? (item.msgCount === undefined ? [] : idsInBody(parsed)),
    eventTime: iso(item.eventTime),
    receivedAt: iso(item.receivedAt),
    zns: item.zns ?? false,
    trackingId: item.trackingId ?? null,
    deliveredAt: iso(item.deliveredAt),
    server: item.server ?? null,
    /** Stored from a redelivery (`num_retry`) when the first delivery never reached us. */
    numRetry: item.retry ?? null,
    /** A copy stands for the event stored under another key (a chat event's conversation copy). */
    storedUnder: item.kind === ZALO_COPY_KIND ? item.copyOf ?? null : item.pk,
    body: parsed,
  };
};
export type ZaloEventView = ReturnType<typeof zaloEventView>;

export const byEventTime = (a: StoredZaloEvent, b: StoredZaloEvent): number =>
  a.eventTime - b.eventTime || (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0);

/**
 * The Zalo events of one msg_id and the eSMS send(s) it belongs to: by the callbacks' `partnerids` naming
 * it (`smsIds`), and by the eSMS RequestId its events echo as `tracking_id` (`requestIds`); `linked` lists
 * both, each with how it was found.
 */
export const zaloMessageView = (msgId: string, events: StoredZaloEvent[], smsIds: string[], byRequest: Array<{ requestId: string; smsIds: string[] }> = []) => {
  const linked = [
    ...smsIds.map((smsId) => ({ smsId, via: 'partnerids' as const, requestId: null })),
    ...byRequest.flatMap(({ requestId, smsIds: ids }) => ids.map((smsId) => ({ smsId, via: 'tracking_id' as const, requestId }))),
  ];
  return {
    msgId,
    smsId: linked[0]?.smsId ?? null,
    ...(smsIds.length > 1 ? { smsIds } : {}),
    requestIds: byRequest.map(({ requestId }) => requestId),
    linked,
    events: [...events].sort(byEventTime).map(zaloEventView),
  };
};

export const followerView = (item: FollowerItem) => ({
  userId: item.userId,
  followedAt: iso(item.followedAt ?? item.changedAt),
  source: item.source ?? null,
  userIdByApp: item.userIdByApp ?? null,
});
