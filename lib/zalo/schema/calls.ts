import * as v from 'valibot';
import { base, EpochMs, group, Id, Phone, soft, opt } from './common';
import { inferredEvent } from './inferred';

/** SENT, then EXPIRED under the same name and create_time: request_type belongs in the dedup key. */
const OaSendConsent = v.object({
  event_name: v.literal('oa_send_consent'),
  ...base,
  oa_id: Id,
  phone: Phone,
  request_type: v.string(),
  create_time: EpochMs,
  expired_time: opt(EpochMs),
});

/** `user_consent` is ALLOW | USER_BLOCKED or ALLOW | DENY depending on the source: kept raw. */
const UserReplyConsent = v.object({
  event_name: v.literal('user_reply_consent'),
  ...base,
  oa_id: Id,
  phone: Phone,
  user_consent: v.string(),
  confirmed_time: EpochMs,
  /** "0" means unlimited. */
  expired_time: opt(EpochMs),
});

export const consents = group([OaSendConsent, UserReplyConsent], (event) =>
  event.event_name === 'oa_send_consent'
    ? {
        family: 'consent_request',
        oaId: event.oa_id,
        msgIds: [],
        key: [event.event_name, event.request_type, event.phone, event.create_time],
      }
    : {
        family: 'consent_reply',
        oaId: event.oa_id,
        msgIds: [],
        key: [event.event_name, event.phone, event.confirmed_time],
      },
);

/** Call-ended events (inferred): a user id or a phone, and a call_id. */
const call = <const N extends string>(event_name: N) =>
  inferredEvent(event_name, { oa_id: soft(Id), user_id: soft(Id), phone: soft(v.string()), call_id: soft(Id) });

export const calls = group([call('user_call_oa'), call('oa_call_user')], (event) => ({
  family: 'call',
  oaId: event.oa_id,
  userId: event.user_id,
  msgIds: [],
  key: [event.event_name, event.call_id],
}));
