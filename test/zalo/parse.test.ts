import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseZaloEvent, type KnownZaloEvent, type ParsedZaloEvent } from '../../lib/zalo/parse';
import { ZALO_GROUP_BY_NAME, type ZaloFamily } from '../../lib/zalo/schema';
import { zaloFixture, zaloFixtures } from '../support/fixtures';

const OA = '1397492183140006179';
const USER = '5308693166941955879';

const parseFixture = (name: string, over: Record<string, unknown> = {}, headers?: Record<string, string>) => {
  const fixture = zaloFixture(name);
  return parseZaloEvent({ ...JSON.parse(fixture.rawBody), ...over }, headers ?? fixture.headers, fixture.rawBody);
};

const known = (parsed: ParsedZaloEvent): KnownZaloEvent => {
  if (!parsed.known) throw new Error(`expected a known event, got ${parsed.reason}`);
  return parsed;
};

/** Every fixture's expected family and OA; the test fails if a fixture is added without a row here. */
const expected: Record<string, [ZaloFamily, string]> = {
  add_user_to_tag: ['tag', OA], anonymous_send_text: ['anonymous', OA], change_oa_daily_quota: ['quota', OA],
  change_oa_template_tags: ['template', OA], change_template_quality: ['template', OA],
  change_template_quota: ['quota', OA], change_template_status: ['template', OA],
  event_journey_acknowledged: ['journey_charged', OA], event_journey_time_out: ['journey_expired', OA],
  follow: ['follow', OA], unfollow: ['unfollow', OA], oa_call_user: ['call', OA], user_call_oa: ['call', OA],
  'oa_send_consent--expired': ['consent_request', OA], oa_send_consent: ['consent_request', OA],
  user_reply_consent: ['consent_reply', OA], oa_send_file: ['oa_message', OA], oa_send_gif: ['oa_message', OA],
  oa_send_image: ['oa_message', OA], oa_send_list: ['oa_message', OA], oa_send_sticker: ['oa_message', OA],
  oa_send_text: ['oa_message', OA], user_click_chatnow: ['interaction', OA],
  user_click_response_button: ['interaction', OA], user_feedback: ['interaction', OA],
  user_submit_info: ['interaction', OA], user_reacted_message: ['reaction', OA],
  'user_received_message--oa': ['oa_receipt', OA], user_received_message: ['zns_delivery', OA],
  user_seen_message: ['oa_receipt', OA], user_send_audio: ['user_message', OA],
  user_send_business_card: ['user_message', OA], user_send_file: ['user_message', OA],
  user_send_image: ['user_message', OA], user_send_link: ['user_message', OA],
  user_send_location: ['user_message', OA], user_send_sticker: ['user_message', OA],
  'user_send_text--bad-signature': ['user_message', OA], 'user_send_text--quote': ['user_message', OA],
  'user_send_text--retry': ['user_message', OA], user_send_text: ['user_message', OA],
  user_send_video: ['user_message', OA],
};

describe('parseZaloEvent on the fixtures', () => {
  it('has an expectation for each of the 42 fixtures', () => {
    expect(Object.keys(expected).sort()).toEqual(zaloFixtures().map((fixture) => fixture.name).sort());
  });

  it.each(Object.entries(expected))('%s → %j', (name, [family, oaId]) => {
    const parsed = known(parseFixture(name));
    expect({ family: parsed.family, oaId: parsed.oaId }).toEqual({ family, oaId });
    expect(parsed.eventTime).toBe(Number(JSON.parse(zaloFixture(name).rawBody).timestamp));
    expect(parsed.dedupKey).not.toBe('');
  });

  it('user → OA message: OA is the recipient, user the sender, key = event_name + msg_id', () => {
    const parsed = known(parseFixture('user_send_text'));
    expect(parsed).toMatchObject({ oaId: OA, userId: USER, msgIds: ['96d3cdf3af1504609090'], zns: false });
    expect(parsed.dedupKey).toBe('user_send_text#96d3cdf3af1504609090');
    expect(known(parseFixture('user_send_text--quote')).event).toMatchObject({ message: { quote_msg_id: '96d3cdf3af1504609090' } });
  });

  it('a retry has the same dedup key as the first delivery', () => {
    expect(known(parseFixture('user_send_text--retry')).dedupKey).toBe(known(parseFixture('user_send_text')).dedupKey);
  });

  it('OA → user echo: OA is the sender', () => {
    expect(known(parseFixture('oa_send_text'))).toMatchObject({ oaId: OA, userId: USER, msgIds: ['1a2b3c4d5e6f7a8b9c0d'] });
  });

  it('follow/unfollow: OA from oa_id, user from follower.id, ids kept as exact strings', () => {
    const follow = known(parseFixture('follow'));
    expect(follow).toMatchObject({ family: 'follow', oaId: OA, userId: USER, msgIds: [] });
    expect(follow.dedupKey).toBe(`follow#${USER}#1767225640000`);
    expect(follow.event).toMatchObject({ follower: { id: USER }, source: 'oa_profile' });
    expect(known(parseFixture('unfollow'))).toMatchObject({ family: 'unfollow', oaId: OA, userId: USER });
  });

  it('ZNS receipt: zns, receipt time from delivery_time, key = msg_id + tracking_id, no user id', () => {
    const parsed = known(parseFixture('user_received_message'));
    expect(parsed).toMatchObject({ zns: true, family: 'zns_delivery', oaId: OA, msgIds: ['15a0cc0bbb13bd4ce403'] });
    expect(parsed.deliveredAt).toBe(1767225629000);
    expect(parsed.userId).toBeUndefined();
    expect(parsed.dedupKey).toBe('user_received_message#zns#15a0cc0bbb13bd4ce403#esms-req-20260101-0001');
  });

  it('ZNS is recognised by the header alone, and by delivery_time/tracking_id alone', () => {
    expect(known(parseFixture('user_received_message--oa', {}, { 'x-zevent-server': 'ZNS' })).zns).toBe(true);
    expect(known(parseFixture('user_received_message', {}, {})).family).toBe('zns_delivery');
  });

  it('OA-chat receipt and seen: OA is the sender; seen lists every msg id', () => {
    const received = known(parseFixture('user_received_message--oa'));
    expect(received).toMatchObject({ zns: false, family: 'oa_receipt', userId: USER, msgIds: ['1a2b3c4d5e6f7a8b9c0d'] });
    expect(received.deliveredAt).toBeUndefined();
    const seen = known(parseFixture('user_seen_message'));
    expect(seen).toMatchObject({ oaId: OA, userId: USER, msgIds: ['1a2b3c4d5e6f7a8b9c0d', '2a3b4c5d6e7f8a9b0c1d'] });
    expect(seen.dedupKey).toBe('user_seen_message#1a2b3c4d5e6f7a8b9c0d#2a3b4c5d6e7f8a9b0c1d');
  });

  it('change_oa_daily_quota reads the camelCase oaId', () => {
    const parsed = known(parseFixture('change_oa_daily_quota'));
    expect(parsed).toMatchObject({ family: 'quota', oaId: OA, dedupKey: `change_oa_daily_quota#${OA}#1767225655000` });
  });

  it('template events key on template_id + timestamp', () => {
    expect(known(parseFixture('change_template_status')).dedupKey).toBe('change_template_status#2056446#1767225653000');
    expect(known(parseFixture('change_template_quality')).event).toMatchObject({ quality: 'LOW' });
  });

  it('feedback and button clicks link to the ZNS msg_id', () => {
    expect(known(parseFixture('user_feedback')).msgIds).toEqual(['15a0cc0bbb13bd4ce403']);
    expect(known(parseFixture('user_click_response_button')).msgIds).toEqual(['25a0cc0bbb13bd4ce404']);
  });

  it('submit_info accepts the older flat address shape', () => {
    const info = { name: 'B', phone: '84900000000', address: '1 Lê Lợi', city: 'HCM', district: 'Q1', ward: 'Bến Nghé' };
    expect(known(parseFixture('user_submit_info', { info })).event).toMatchObject({ info });
  });

  it('consent: SENT and EXPIRED of one request keep distinct keys; the reply keeps user_consent raw', () => {
    const sent = known(parseFixture('oa_send_consent')).dedupKey;
    expect(sent).toBe('oa_send_consent#SENT#84901234567#1767225669000');
    expect(known(parseFixture('oa_send_consent--expired')).dedupKey).not.toBe(sent);
    const reply = known(parseFixture('user_reply_consent', { user_consent: 'USER_BLOCKED' }));
    expect(reply).toMatchObject({ family: 'consent_reply', event: { user_consent: 'USER_BLOCKED' } });
  });

  it('journeys key on journey_id and also accept journeyId/oaId', () => {
    expect(known(parseFixture('event_journey_acknowledged')).dedupKey).toBe('event_journey_acknowledged#1260521718358967296');
    const camel = known(parseFixture('event_journey_time_out', { journey_id: undefined, oa_id: undefined, journeyId: 'J1', oaId: OA }));
    expect(camel).toMatchObject({ family: 'journey_expired', oaId: OA, dedupKey: 'event_journey_time_out#J1' });
  });

  it('calls key on call_id', () => {
    expect(known(parseFixture('user_call_oa'))).toMatchObject({ userId: USER, dedupKey: 'user_call_oa#8123456789012345678' });
  });

  it('tags give userId only for a single user', () => {
    expect(known(parseFixture('add_user_to_tag')).userId).toBe(USER);
    expect(known(parseFixture('add_user_to_tag', { tag: { user_ids: ['1', '2'], name: 'x' } })).userId).toBeUndefined();
  });
});

describe('parseZaloEvent beyond the fixtures', () => {
  it('covers every event_name of the brief', () => {
    const names = [
      ...['text', 'image', 'link', 'audio', 'video', 'sticker', 'location', 'file', 'business_card', 'gif'].map((k) => `user_send_${k}`),
      ...['text', 'image', 'gif', 'list', 'file', 'sticker', 'template'].map((k) => `oa_send_${k}`),
      ...['text', 'image', 'file', 'sticker'].flatMap((k) => [`anonymous_send_${k}`, `oa_send_anonymous_${k}`]),
      'user_received_message', 'user_seen_message', 'user_reacted_message', 'oa_reacted_message', 'follow', 'unfollow',
      'user_click_chatnow', 'user_submit_info', 'add_user_to_tag', 'remove_user_from_tag', 'remove_tag', 'user_feedback',
      'user_click_response_button', 'change_template_status', 'change_template_quality', 'change_oa_daily_quota',
      'change_oa_template_tags', 'change_template_quota', 'event_journey_acknowledged', 'event_journey_time_out',
      'oa_send_consent', 'user_reply_consent', 'user_call_oa', 'oa_call_user', 'permission_revoked',
    ];
    expect([...ZALO_GROUP_BY_NAME.keys()].sort()).toEqual(names.sort());
  });

  it('an unknown event_name is unparsed (known:false) naming event_name, never thrown', () => {
    const rawBody = '{"app_id":"1","event_name":"shop_has_order","timestamp":"1767225600000","order":{"id":"9"}}';
    expect(parseZaloEvent(JSON.parse(rawBody), {}, rawBody)).toEqual({
      known: false, eventName: 'shop_has_order', field: 'event_name', reason: 'event_name shop_has_order is not one the receiver knows',
    });
  });

  it('a known event missing msg_id is unparsed naming message.msg_id', () => {
    expect(parseFixture('user_send_text', { message: { text: 'hi' } })).toMatchObject({ known: false, eventName: 'user_send_text', field: 'message.msg_id' });
  });

  it('a numeric id past 2^53 is unparsed (its digits were lost); a smaller one is read as its digits', () => {
    expect(parseFixture('follow', { follower: { id: 5308693166941955879 } })).toMatchObject({ known: false, field: 'follower.id' });
    expect(known(parseFixture('follow', { follower: { id: 530869316694 } }))).toMatchObject({ userId: '530869316694', dedupKey: 'follow#530869316694#1767225640000' });
  });

  it('times sent as JSON integers read as their digits (numeric 0 for "unlimited" too)', () => {
    const reply = known(parseFixture('user_reply_consent', { timestamp: 1767225670000, confirmed_time: 1767225670000, expired_time: 0 }));
    expect(reply).toMatchObject({ eventTime: 1767225670000, event: { timestamp: '1767225670000', confirmed_time: '1767225670000', expired_time: '0' } });
    expect(known(parseFixture('user_received_message', { message: { msg_id: 'm1', delivery_time: 1767225629000 } })).deliveredAt).toBe(1767225629000);
  });

  it('null optional fields read as absent; extra fields are ignored', () => {
    const text = known(parseFixture('user_send_text', { user_id_by_app: null, brand_new_field: { x: 1 } }));
    expect(text.event).toMatchObject({ user_id_by_app: undefined });
    expect(text.dedupKey).toBe(known(parseFixture('user_send_text')).dedupKey);
    expect(known(parseFixture('oa_send_consent', { expired_time: null })).event).toMatchObject({ expired_time: undefined });
  });

  it('an inferred shape tolerates a mismatched field and falls back to the raw-body key', () => {
    const fixture = zaloFixture('event_journey_acknowledged');
    const parsed = known(parseZaloEvent({ ...JSON.parse(fixture.rawBody), journey_id: { id: 42 } }, {}, fixture.rawBody));
    expect(parsed.family).toBe('journey_charged');
    expect(parsed.dedupKey).toBe(`sha256#${createHash('sha256').update(fixture.rawBody).digest('hex')}`);
  });

  it('permission_revoked (inferred shape) names its OA by oa_id or oaId', () => {
    for (const over of [{ oa_id: OA }, { oaId: OA }]) {
      const envelope = { app_id: '1', event_name: 'permission_revoked', timestamp: '1767225600000', ...over };
      expect(known(parseZaloEvent(envelope, {}))).toMatchObject({ family: 'permission_revoked', oaId: OA, dedupKey: `permission_revoked#${OA}#1767225600000` });
    }
  });

  it('Journey events reported with appId instead of app_id parse', () => {
    const { app_id: appId, ...rest } = JSON.parse(zaloFixture('event_journey_time_out').rawBody) as Record<string, unknown>;
    expect(known(parseZaloEvent({ ...rest, appId }, {})).family).toBe('journey_expired');
  });

  it.each([
    [[], 'body'],
    ['text', 'body'],
    [{ app_id: '1', timestamp: '1' }, 'event_name'],
    [{ event_name: 'follow', app_id: '1' }, 'timestamp'],
  ])('%j is unparsed naming %s', (envelope, field) => {
    expect(parseZaloEvent(envelope, {})).toMatchObject({ known: false, field });
  });
});
