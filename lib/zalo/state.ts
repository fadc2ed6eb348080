/**
 * The current state users need, derived from events (pure): followers per OA, call consent per phone,
 * template status/quality/quota and the daily quota per OA, Journey charge/expiry per journey id.
 * Each change applies only when it is newer than what is stored (one conditional UpdateItem), so
 * shuffled or redelivered events end in the same state as ordered ones.
 */
import { KIND } from '../table/names';
import { normalisePhone } from '../esms/phone';
import { vietnamDay } from '../time';
import { consentKey, consentPointerKey, followerKey, journeyKey, MAX_TRACKING_ID, phonePointerKey, quotaKey, tagsKey, templateKey, trackingKey } from '../table/zalo';
import { phonesIn } from '../esms/phone';
import type { KnownZaloEvent } from './parse';

type Value = string | number | boolean;

export interface NewestWins {
  key: { pk: string; sk: string };
  kind: typeof KIND.follower | typeof KIND.state;
  /** Holds the order of the last change applied; a change applies only when its order is higher. */
  orderAttribute: string;
  order: string;
  set: Record<string, Value>;
}

/**
 * Event time first; `rank` breaks ties between different events of the same millisecond so every
 * arrival order picks the same winner (an unfollow beats a follow: never message someone who may have left).
 */
export const changeOrder = (eventTime: number, rank = 0): string => `${String(eventTime).padStart(15, '0')}#${rank}`;

const defined = (record: Record<string, Value | undefined>): Record<string, Value> =>
  Object.fromEntries(Object.entries(record).filter((entry): entry is [string, Value] => entry[1] !== undefined));

/** Inferred payloads: keep their fields (minus the envelope) as JSON, when small. */
const detailOf = (event: Record<string, unknown>): string | undefined => {
  const { event_name: _n, app_id: _a, timestamp: _t, ...rest } = event;
  const text = JSON.stringify(rest);
  return text.length <= 2000 ? text : undefined;
};

const CONSENT_EVENTS: ReadonlySet<string> = new Set(['oa_send_consent', 'user_reply_consent']);

/**
 * One pointer per (phone named anywhere in the raw body, partition the event was written to): what erasure
 * Queries to find a ZNS receipt, a submitted form, a call, a business card and their conversation copies.
 */
export const phonePointers = (parsed: KnownZaloEvent, tenant: string, raw: string, partitions: readonly string[]): NewestWins[] =>
  // Consent events have their own pointer (their OA's events of the day) and consent items to delete.
  CONSENT_EVENTS.has(parsed.event.event_name) ? [] : phonesIn(raw).flatMap((phone) => [...new Set(partitions)].map((part): NewestWins => ({
    key: phonePointerKey(tenant, phone, part), kind: KIND.state, orderAttribute: 'ord', order: changeOrder(parsed.eventTime), set: { tenant, part },
  })));

/**
 * The pointer from the tracking id a ZNS event echoes (the partner's eSMS RequestId) to its msg_id, so the
 * eSMS message view joins its Zalo messages by RequestId as well as by `partnerids`. One per (tracking id,
 * msg_id), written like the phone pointers (the same values whichever event of the message comes last).
 */
export const trackingPointers = (parsed: KnownZaloEvent, tenant: string, trackingId: string | undefined): NewestWins[] => {
  if (trackingId === undefined || trackingId === '' || trackingId.length > MAX_TRACKING_ID || parsed.msgIds.length !== 1) return [];
  const msgId = parsed.msgIds[0]!;
  return [{ key: trackingKey(tenant, trackingId, msgId), kind: KIND.state, orderAttribute: 'ord', order: changeOrder(parsed.eventTime), set: { tenant, msgId, trackingId } }];
};

/** The changes one event makes, under its tenant's keys (each stored item also carries `tenant`). */
export const stateChanges = (parsed: KnownZaloEvent, tenant: string): NewestWins[] => {
  const change = (
    key: { pk: string; sk: string }, orderAttribute: string, order: string, set: Record<string, Value | undefined>,
    kind: NewestWins['kind'] = KIND.state,
  ): NewestWins => ({ key, kind, orderAttribute, order, set: defined({ tenant, ...set }) });
  const { event, eventTime: at, oaId } = parsed;
  /** The day of a consent event, under its phone (see lib/table/zalo.ts): what erasure Queries. */
  const consentPointer = (oa: string, phone: string, time: number): NewestWins => {
    const day = vietnamDay(time);
    return change(consentPointerKey(tenant, normalisePhone(phone) ?? phone, oa, day), 'ord', changeOrder(time), { oaId: oa, day });
  };
  const name = event.event_name;
  switch (name) {
    case 'follow':
    case 'unfollow': {
      const following = name === 'follow';
      return [change(followerKey(tenant, event.oa_id, event.follower.id), 'ord', changeOrder(at, following ? 0 : 1), {
        oaId: event.oa_id, userId: event.follower.id, following, changedAt: at, lastEvent: name,
        [following ? 'followedAt' : 'unfollowedAt']: at, source: event.source, userIdByApp: event.user_id_by_app,
      }, KIND.follower)];
    }
    case 'oa_send_consent':
      return [change(consentKey(tenant, event.oa_id, event.phone), 'ord', changeOrder(at, event.request_type === 'SENT' ? 0 : 1), {
        oaId: event.oa_id, phone: event.phone, state: `REQUEST_${event.request_type}`, lastEvent: name, changedAt: at,
        createTime: Number(event.create_time), expiredTime: event.expired_time === undefined ? undefined : Number(event.expired_time),
      }), consentPointer(event.oa_id, String(event.phone), at)];
    case 'user_reply_consent':
      return [change(consentKey(tenant, event.oa_id, event.phone), 'ord', changeOrder(at, 2), {
        oaId: event.oa_id, phone: event.phone, state: event.user_consent, lastEvent: name, changedAt: at,
        confirmedTime: Number(event.confirmed_time), expiredTime: event.expired_time === undefined ? undefined : Number(event.expired_time),
      }), consentPointer(event.oa_id, String(event.phone), at)];
    case 'change_template_status':
      return [change(templateKey(tenant, event.oa_id, event.template_id), 'statusOrd', changeOrder(at), {
        oaId: event.oa_id, templateId: event.template_id, status: event.status.new_status,
        prevStatus: event.status.prev_status, reason: event.reason, statusAt: at,
      })];
    case 'change_template_quality':
      return [change(templateKey(tenant, event.oa_id, event.template_id), 'qualityOrd', changeOrder(at), {
        oaId: event.oa_id, templateId: event.template_id, quality: event.quality, qualityAt: at,
      })];
    case 'change_template_quota':
      return oaId === undefined || event.template_id === undefined ? [] : [
        change(templateKey(tenant, oaId, event.template_id), 'quotaOrd', changeOrder(at), {
          oaId, templateId: event.template_id, quotaDetail: detailOf(event), quotaAt: at,
        }),
      ];
    case 'change_oa_daily_quota':
      return [change(quotaKey(tenant, event.oaId), 'ord', changeOrder(at), {
        oaId: event.oaId, dailyQuota: Number(event.quota.new_value), prevQuota: Number(event.quota.prev_value), changedAt: at,
      })];
    case 'change_oa_template_tags':
      return oaId === undefined ? [] : [
        change(tagsKey(tenant, oaId), 'ord', changeOrder(at), { oaId, detail: detailOf(event), changedAt: at }),
      ];
    case 'event_journey_acknowledged':
    case 'event_journey_time_out': {
      const journeyId = event.journey_id ?? event.journeyId;
      if (journeyId === undefined) return [];
      const charged = name === 'event_journey_acknowledged';
      return [change(journeyKey(tenant, journeyId), charged ? 'chargedOrd' : 'expiredOrd', changeOrder(at), {
        journeyId, oaId, msgId: event.msg_id, [charged ? 'chargedAt' : 'expiredAt']: at,
      })];
    }
    default:
      return [];
  }
};
