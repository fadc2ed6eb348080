/**
 * Which stream records suppress or clear a subject (pure; docs/decisions.md, "Suppressions"). A subject is a
 * normalised phone number, or a Zalo user id (eSMS TypeId 26/27 name the recipient by it; follows name it).
 *
 * Suppressing: a final eSMS callback of a Zalo type (TypeId 24–27) whose Zalo error code says a new send
 * will fail (SUPPRESSING_CODES: no Zalo account, cannot receive, refused, not eligible; not -114, which may
 * be transient), a refused call consent, an unfollow.
 * Clearing: a Zalo-channel success (a Zalo-type callback with Zalo's code 0), a Zalo receipt, a consent
 * ALLOW, a follow. An SMS callback (a fallback's success included) says nothing about Zalo: no change.
 *
 * Each change carries its order (event time, then rank: a suppressing outcome beats a clearing one of the
 * same millisecond); the store applies it only over an older one, so arrival order does not matter.
 */
import { normalisePhone } from '../esms/phone';
import { decodeErrorInfo } from '../esms/error-info';
import { reasonOf } from '../esms/outcome';
import { readQuery } from '../esms/query';
import { HEAD_SK, INLINE_PREFIX, InlineCallbackSchema, OverflowItemSchema, type InlineCallback } from '../table/esms';
import { KIND } from '../table/names';
import { readZaloItem } from '../table/zalo';
import { suppressionOrder } from '../table/suppressions';
import { DEFAULT_TENANT } from '../table/names';
import * as v from 'valibot';
import type { ChangeRecord } from '../aggregate/ports';
import type { SuppressionChange } from './ports';

export type { SuppressionChange } from './ports';

/** Zalo codes that say the recipient cannot or will not get a Zalo message (lib/error-catalogue.ts). */
export const SUPPRESSING_CODES: ReadonlySet<number> = new Set([-118, -119, -139, -140, -141]);
/** eSMS TypeIds sent through Zalo (ZNS 24, 25; by user id 26; Journey 27). */
export const ZALO_TYPE_IDS: ReadonlySet<number> = new Set([24, 25, 26, 27]);
const BY_USER_ID: ReadonlySet<number> = new Set([26, 27]);
const FINAL: ReadonlySet<number> = new Set([4, 5]);

const RANK = { clear: 0, suppress: 1 } as const;

const decoded = (query: string): { code?: number | undefined; message?: string | undefined; msgId?: string | undefined } => {
  try {
    const params = readQuery(query);
    const value = params.get('error_info')?.value;
    const info = value ? decodeErrorInfo(value) : undefined;
    const msgId = params.get('partnerids')?.value || info?.zaloMsgId || undefined;
    return { code: info?.code, message: info?.message, msgId };
  } catch {
    return {};
  }
};

/** The change one eSMS callback makes (a Zalo-type final callback naming its recipient), if any. */
export const callbackChange = (
  input: { tenant: string; smsId: string; entry: Pick<InlineCallback, 's' | 't' | 'ph' | 'q' | 'at'>; phone?: string | undefined; oaId?: string | undefined; sequenceNumber: string },
): SuppressionChange | undefined => {
  const { entry } = input;
  if (!ZALO_TYPE_IDS.has(entry.t) || !FINAL.has(entry.s)) return undefined;
  const spelled = entry.ph ?? input.phone;
  const subject = spelled === undefined ? undefined : normalisePhone(spelled);
  if (subject === undefined || subject === 'erased') return undefined;
  const { code, message, msgId } = decoded(entry.q);
  const base = {
    tenant: input.tenant, subject, subjectType: BY_USER_ID.has(entry.t) ? 'zalo-user' as const : 'phone' as const, at: entry.at, source: 'esms',
    smsId: input.smsId, sequenceNumber: input.sequenceNumber,
    ...(msgId !== undefined && { msgId }), ...(input.oaId !== undefined && { oaId: input.oaId }),
  };
  if (code !== undefined && SUPPRESSING_CODES.has(code)) {
    const reason = reasonOf(code, message);
    return { ...base, suppress: true, order: suppressionOrder(entry.at, RANK.suppress), code, reason: reason.en, reasonVi: reason.vi };
  }
  if (code === 0) return { ...base, suppress: false, order: suppressionOrder(entry.at, RANK.clear) };
  return undefined;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? value as Record<string, unknown> : {});

const CONSENT_REFUSED = { en: 'The user refused the OA\'s call consent', vi: 'Người dùng từ chối cho OA gọi điện' };
const UNFOLLOWED = { en: 'The user unfollowed the OA', vi: 'Người dùng đã bỏ quan tâm OA' };

/** The change one stored Zalo event makes (follow, unfollow, a consent reply, a receipt), if any. */
export const zaloEventChange = (image: Record<string, unknown>, sequenceNumber: string): SuppressionChange | undefined => {
  const item = readZaloItem(image);
  if (item.kind !== KIND.zalo) return undefined;
  let body: Record<string, unknown>;
  try {
    body = record(JSON.parse(item.raw));
  } catch {
    return undefined;
  }
  const tenant = item.tenant ?? DEFAULT_TENANT;
  const at = item.eventTime;
  const base = { tenant, at, source: 'zalo', event: item.eventName, sequenceNumber, ...(item.oaId !== undefined && { oaId: item.oaId }) };
  const change = (subject: string | undefined, subjectType: SuppressionChange['subjectType'], suppress: boolean, reason?: { en: string; vi: string }): SuppressionChange | undefined =>
    (subject === undefined ? undefined : {
      ...base, subject, subjectType, suppress, order: suppressionOrder(at, suppress ? RANK.suppress : RANK.clear),
      ...(reason && { reason: reason.en, reasonVi: reason.vi }),
    });
  const phone = (value: unknown) => {
    const normal = text(value) === undefined ? undefined : normalisePhone(text(value)!);
    return normal !== undefined && /^\d+$/.test(normal) ? normal : undefined;
  };
  switch (item.eventName) {
    case 'follow':
    case 'unfollow':
      return change(text(record(body.follower).id), 'zalo-user', item.eventName === 'unfollow', item.eventName === 'unfollow' ? UNFOLLOWED : undefined);
    case 'user_reply_consent': {
      const consent = text(body.user_consent);
      if (consent === undefined) return undefined;
      const allowed = consent.toUpperCase() === 'ALLOW';
      return change(phone(body.phone), 'phone', !allowed, allowed ? undefined : { en: `${CONSENT_REFUSED.en} (${consent})`, vi: `${CONSENT_REFUSED.vi} (${consent})` });
    }
    case 'user_received_message': {
      const msgId = item.msgIds?.[0];
      const withMsg = (c: SuppressionChange | undefined) => (c && msgId !== undefined ? { ...c, msgId } : c);
      // A ZNS receipt names the phone (or its hash: no subject); an OA chat receipt the user id.
      return item.zns === true ? withMsg(change(phone(record(body.recipient).id), 'phone', false)) : withMsg(change(item.userId, 'zalo-user', false));
    }
    default:
      return undefined;
  }
};

/** The changes a stream record of the messages table makes (a record of another kind: none). */
export const suppressionChanges = ({ sequenceNumber, oldImage, newImage }: ChangeRecord): SuppressionChange[] => {
  if (!newImage) return [];
  const tenant = text(newImage.tenant);
  const smsId = text(newImage.smsId);
  if (newImage.kind === KIND.esmsCallback && oldImage === undefined && tenant && smsId) {
    const item = v.parse(OverflowItemSchema, newImage);
    const found = callbackChange({ tenant, smsId, entry: item, oaId: item.oa, sequenceNumber });
    return found ? [found] : [];
  }
  if (newImage.kind === KIND.esms && newImage.sk === HEAD_SK && tenant && smsId) {
    // Inline callbacks the write added (a head holds a single recipient's callbacks: its phone is the head's).
    const added = Object.keys(newImage).filter((name) => name.startsWith(INLINE_PREFIX) && oldImage?.[name] === undefined);
    return added.flatMap((name) => {
      const entry = v.parse(InlineCallbackSchema, newImage[name]);
      const found = callbackChange({ tenant, smsId, entry, phone: text(newImage.phone), oaId: text(newImage.oaId), sequenceNumber });
      return found ? [found] : [];
    });
  }
  if (newImage.kind === KIND.zalo && oldImage === undefined) {
    const found = zaloEventChange(newImage, sequenceNumber);
    return found ? [found] : [];
  }
  return [];
};
