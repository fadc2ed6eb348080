/**
 * The `zalo.*` events a stored Zalo event means (docs/destinations.md), as pure functions of the stream
 * record that inserted it (kind `zalo`, lib/table/zalo.ts). The webhook writes each event with one
 * conditional Put, so a duplicate webhook writes nothing and makes no record: one event per stored event.
 * The id hashes the stored item's key (tenant, pk, sk; and the msg_id for a receipt naming several), so a
 * redelivered stream record, a retry and a replay all carry the same `webhook-id`.
 *
 * - an OA message sent (`oa_send_*`), a receipt (`user_received_message`, OA chat or ZNS) and a seen receipt
 *   (`user_seen_message`, one event per msg_id it names) → `zalo.message.status` (`sent`, `received`,
 *   `seen`), with the eSMS SMSIDs that carried that msg_id when known (looked up by the projector);
 *   a Zalo-channel eSMS message that ends failed with its Zalo msg_id → `zalo.message.status` `failed`
 *   (lib/destinations/derive.ts, from the head);
 * - `follow` / `unfollow` → `zalo.follower.changed`; `oa_send_consent` / `user_reply_consent` →
 *   `zalo.consent.changed`; template status, quality and tags → `zalo.template.changed`; the OA's daily quota
 *   and a template's quota → `zalo.quota.changed`; a user's message (`user_send_*`) → `zalo.user_message`;
 *   `permission_revoked` → `zalo.oa.disconnected`.
 * Phones are sent as stored (the partner's own recipients), as `esms.recipient.updated` does.
 */
import * as v from 'valibot';
import { normalisePhone } from '../esms/phone';
import { KIND } from '../table/names';
import { StoredZaloEventSchema, type StoredZaloEvent } from '../table/zalo';
import type { ChangeRecord } from '../aggregate/ports';
import { eventId, type TenantEvent } from './derive';
import { makeEvent, type EventType } from './events';

/** A Zalo event item the record inserted (not a conversation copy, not a rewrite by erasure or retention). */
export const insertedZaloEvent = (change: ChangeRecord): StoredZaloEvent & { tenant: string } | undefined => {
  if (change.oldImage !== undefined || change.newImage?.kind !== KIND.zalo) return undefined;
  const item = v.parse(StoredZaloEventSchema, change.newImage);
  return { ...item, tenant: item.tenant ?? 'default' };
};

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const defined = (record: Json): Json => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** The msg_ids a status event is about: the item's own, or (a seen receipt naming several) those in its raw body. */
const msgIdsOf = (item: StoredZaloEvent, raw: Json): string[] => {
  if (item.msgIds && item.msgIds.length > 0) return item.msgIds;
  const ids = object(raw.message).msg_ids;
  return Array.isArray(ids) ? ids.map(text).filter((id): id is string => id !== undefined) : [];
};

/** What a `zalo.message.status` event needs beside the stored item: the SMSIDs each msg_id links to. */
export type LinkedSmsIds = ReadonlyMap<string, readonly string[]>;

/** The msg_ids whose SMSIDs the projector should look up for this item (none for events that are not statuses). */
export const statusMsgIds = (item: StoredZaloEvent): string[] => {
  if (statusOf(item) === undefined) return [];
  return msgIdsOf(item, parseRaw(item.raw));
};

const statusOf = (item: StoredZaloEvent): 'sent' | 'received' | 'seen' | undefined => {
  if (item.family === 'oa_message') return 'sent';
  if (item.eventName === 'user_received_message') return 'received';
  if (item.eventName === 'user_seen_message') return 'seen';
  return undefined;
};

const parseRaw = (raw: string): Json => {
  try {
    return object(JSON.parse(raw));
  } catch {
    return {};
  }
};

/** The events one inserted Zalo event item makes; `links` holds the SMSIDs of its msg_ids (absent: none known). */
export const zaloEvents = (item: StoredZaloEvent & { tenant: string }, links: LinkedSmsIds = new Map()): TenantEvent[] => {
  const { tenant } = item;
  const raw = parseRaw(item.raw);
  const make = (type: EventType, data: Json, ...idParts: string[]): TenantEvent =>
    ({ tenant, event: makeEvent(eventId(tenant, 'zalo', item.pk, item.sk, ...idParts), type, item.eventTime, defined({ oaId: item.oaId, ...data, eventName: item.eventName })) });

  const status = statusOf(item);
  if (status !== undefined) {
    const recipientId = text(object(raw.recipient).id);
    const phone = item.zns && recipientId !== undefined && /^\+?\d{9,13}$/.test(recipientId) ? normalisePhone(recipientId) : undefined;
    const ids = msgIdsOf(item, raw);
    return ids.map((msgId) => make('zalo.message.status', {
      msgId,
      ...(links.get(msgId)?.length ? { smsIds: [...links.get(msgId)!], smsId: links.get(msgId)![0] } : {}),
      status,
      channel: item.zns ? 'zns' : 'oa',
      userId: item.userId,
      phone,
      trackingId: item.trackingId,
      deliveredAt: item.deliveredAt,
    }, ...(ids.length > 1 ? [msgId] : [])));
  }
  switch (item.family) {
    case 'follow':
    case 'unfollow':
      return [make('zalo.follower.changed', {
        userId: item.userId, following: item.family === 'follow', source: text(raw.source), userIdByApp: text(raw.user_id_by_app),
      })];
    case 'consent_request':
    case 'consent_reply': {
      const phone = text(raw.phone);
      const state = item.family === 'consent_request' ? `REQUEST_${text(raw.request_type) ?? ''}` : text(raw.user_consent);
      return [make('zalo.consent.changed', {
        phone: phone === undefined ? undefined : normalisePhone(phone) ?? phone, state,
        expiredTime: num(raw.expired_time), ...(item.family === 'consent_reply' && { confirmedTime: num(raw.confirmed_time) }),
      })];
    }
    case 'template': {
      const change = item.eventName === 'change_template_status' ? 'status' : item.eventName === 'change_template_quality' ? 'quality' : 'tags';
      const statuses = object(raw.status);
      return [make('zalo.template.changed', {
        templateId: text(raw.template_id), change,
        ...(change === 'status' && { status: text(statuses.new_status), prevStatus: text(statuses.prev_status), reason: text(raw.reason) }),
        ...(change === 'quality' && { quality: text(raw.quality) }),
      })];
    }
    case 'quota': {
      if (item.eventName === 'change_oa_daily_quota') {
        const quota = object(raw.quota);
        return [make('zalo.quota.changed', { scope: 'oa', dailyQuota: num(quota.new_value), prevQuota: num(quota.prev_value) })];
      }
      const { event_name: _n, app_id: _a, appId: _b, timestamp: _t, oa_id: _o, template_id: templateId, ...detail } = raw;
      return [make('zalo.quota.changed', { scope: 'template', templateId: text(templateId), detail })];
    }
    case 'user_message':
      return [make('zalo.user_message', { userId: item.userId, msgId: item.msgIds?.[0], message: object(raw.message) })];
    case 'permission_revoked':
      return [make('zalo.oa.disconnected', { reason: 'permission_revoked' })];
    default:
      return [];
  }
};
