/**
 * Derivation of `zalo.*` events from the stream record of a stored Zalo event (lib/destinations/derive-zalo.ts):
 * the real fixtures parsed and turned into the items the webhook writes (lib/zalo/items.ts), then read back as
 * an INSERT record would carry them.
 */
import { describe, expect, it } from 'vitest';
import { insertedZaloEvent, statusMsgIds, zaloEvents } from '../../lib/destinations/derive-zalo';
import { copyItems, eventItem } from '../../lib/zalo/items';
import { parseZaloEvent, type KnownZaloEvent } from '../../lib/zalo/parse';
import { zaloFixture, ZALO_FIXTURE_APP_ID } from '../support/fixtures';

const stored = (name: string, tenant = 'acme') => {
  const fixture = zaloFixture(name);
  const parsed = parseZaloEvent(JSON.parse(fixture.rawBody), fixture.headers, fixture.rawBody) as KnownZaloEvent;
  expect(parsed.known).toBe(true);
  const item = eventItem({ parsed, tenant, appId: ZALO_FIXTURE_APP_ID, raw: fixture.rawBody, headers: fixture.headers, receivedAt: 1 });
  return { item, parsed };
};
const insert = (newImage: Record<string, unknown>, oldImage?: Record<string, unknown>) => ({ sequenceNumber: '1', newImage, oldImage });
const derived = (name: string, links?: Map<string, string[]>) => {
  const { item } = stored(name);
  const read = insertedZaloEvent(insert(item))!;
  return zaloEvents(read, links).map(({ tenant, event }) => ({ tenant, id: event.id, type: event.type, at: event.at, body: JSON.parse(event.body) as { type: string; timestamp: string; data: Record<string, unknown> } }));
};

describe('zalo.* events from stored Zalo events', () => {
  it('only an inserted event item makes events: not a conversation copy, not a rewrite (erasure, retention), not another kind', () => {
    const { item, parsed } = stored('user_send_text');
    expect(insertedZaloEvent(insert(item))).toBeDefined();
    expect(insertedZaloEvent(insert(item, item))).toBeUndefined();
    expect(copyItems(item, parsed).map((copy) => insertedZaloEvent(insert(copy)))).toEqual([undefined]);
    expect(insertedZaloEvent(insert({ ...item, kind: 'rejected' }))).toBeUndefined();
  });

  it('the id hashes the stored item\'s key: the same stored event (a redelivered record, a replay) always has the same webhook-id, another event another', () => {
    const first = derived('follow');
    expect(derived('follow')).toEqual(first);
    expect(first[0]!.id).toMatch(/^evt_[\w-]{24}$/);
    expect(derived('unfollow')[0]!.id).not.toBe(first[0]!.id);
    // The same stored key under another tenant is another event.
    const { item } = stored('follow', 'beta');
    expect(zaloEvents(insertedZaloEvent(insert(item))!)[0]!.event.id).not.toBe(first[0]!.id);
  });

  it('an OA message sent, a receipt and a ZNS receipt are zalo.message.status sent / received, with the linked SMSIDs when known', () => {
    const [sent] = derived('oa_send_text');
    expect(sent).toMatchObject({ tenant: 'acme', type: 'zalo.message.status', at: 1767225620000 });
    expect(sent!.body).toEqual({
      type: 'zalo.message.status', timestamp: '2026-01-01T07:00:20.000+07:00',
      data: { oaId: '1397492183140006179', msgId: '1a2b3c4d5e6f7a8b9c0d', status: 'sent', channel: 'oa', userId: '5308693166941955879', eventName: 'oa_send_text' },
    });
    expect(derived('user_received_message--oa')[0]!.body.data).toMatchObject({ status: 'received', channel: 'oa' });
    const [zns] = derived('user_received_message', new Map([['15a0cc0bbb13bd4ce403', ['sms-1']]]));
    expect(zns!.body.data).toEqual({
      oaId: '1397492183140006179', msgId: '15a0cc0bbb13bd4ce403', smsIds: ['sms-1'], smsId: 'sms-1', status: 'received', channel: 'zns',
      phone: '84901888484', trackingId: 'esms-req-20260101-0001', deliveredAt: 1767225629000, eventName: 'user_received_message',
    });
    expect(statusMsgIds(stored('user_received_message').item)).toEqual(['15a0cc0bbb13bd4ce403']);
  });

  it('a seen receipt naming several messages makes one zalo.message.status seen per msg_id, each with its own id', () => {
    const seen = derived('user_seen_message');
    expect(seen.map((event) => [event.body.data.msgId, event.body.data.status])).toEqual([['1a2b3c4d5e6f7a8b9c0d', 'seen'], ['2a3b4c5d6e7f8a9b0c1d', 'seen']]);
    expect(new Set(seen.map((event) => event.id)).size).toBe(2);
    expect(statusMsgIds(stored('user_seen_message').item)).toEqual(['1a2b3c4d5e6f7a8b9c0d', '2a3b4c5d6e7f8a9b0c1d']);
  });

  it('follow and unfollow are zalo.follower.changed', () => {
    expect(derived('follow')[0]!.body).toMatchObject({ type: 'zalo.follower.changed', data: { oaId: '1397492183140006179', userId: '5308693166941955879', following: true, source: 'oa_profile', userIdByApp: '552177279717587730', eventName: 'follow' } });
    expect(derived('unfollow')[0]!.body).toMatchObject({ type: 'zalo.follower.changed', data: { following: false } });
  });

  it('a consent request and reply are zalo.consent.changed with the phone as stored (the partner\'s own recipient)', () => {
    expect(derived('user_reply_consent')[0]!.body).toMatchObject({ type: 'zalo.consent.changed', data: { oaId: '1397492183140006179', phone: '84901234567', state: 'ALLOW', confirmedTime: 1767225680000, eventName: 'user_reply_consent' } });
    expect(derived('oa_send_consent')[0]!.body).toMatchObject({ type: 'zalo.consent.changed', data: { state: expect.stringMatching(/^REQUEST_/) as unknown } });
  });

  it('template status, quality and tags are zalo.template.changed; the daily quota and a template quota zalo.quota.changed', () => {
    expect(derived('change_template_status')[0]!.body.data).toEqual({ oaId: '1397492183140006179', templateId: '2056446', change: 'status', status: 'REJECT', prevStatus: 'PENDING_REVIEW', reason: 'Mẫu tin bị lặp; Logo không hợp lệ', eventName: 'change_template_status' });
    expect(derived('change_template_quality')[0]!.body).toMatchObject({ type: 'zalo.template.changed', data: { change: 'quality' } });
    expect(derived('change_oa_template_tags')[0]!.body).toMatchObject({ type: 'zalo.template.changed', data: { change: 'tags' } });
    expect(derived('change_oa_daily_quota')[0]!.body).toEqual({ type: 'zalo.quota.changed', timestamp: expect.any(String) as unknown, data: { oaId: '1397492183140006179', scope: 'oa', dailyQuota: 1000, prevQuota: 500, eventName: 'change_oa_daily_quota' } });
    expect(derived('change_template_quota')[0]!.body).toMatchObject({ type: 'zalo.quota.changed', data: { scope: 'template' } });
  });

  it('a user\'s message is zalo.user_message with the message as Zalo sent it', () => {
    expect(derived('user_send_text')[0]!.body).toMatchObject({ type: 'zalo.user_message', data: { userId: expect.any(String) as unknown, msgId: expect.any(String) as unknown, message: { text: expect.any(String) as unknown }, eventName: 'user_send_text' } });
  });

  it('permission_revoked is zalo.oa.disconnected; events no destination type covers (reactions, tags, calls, journeys) make none', () => {
    const body = JSON.stringify({ app_id: ZALO_FIXTURE_APP_ID, event_name: 'permission_revoked', oa_id: '1397492183140006179', timestamp: '1767225700000' });
    const parsed = parseZaloEvent(JSON.parse(body), {}, body) as KnownZaloEvent;
    const item = eventItem({ parsed, tenant: 'acme', appId: ZALO_FIXTURE_APP_ID, raw: body, headers: {}, receivedAt: 1 });
    expect(zaloEvents(insertedZaloEvent(insert(item))!).map(({ event }) => JSON.parse(event.body) as unknown)).toEqual([
      { type: 'zalo.oa.disconnected', timestamp: expect.any(String) as unknown, data: { oaId: '1397492183140006179', reason: 'permission_revoked', eventName: 'permission_revoked' } },
    ]);
    for (const name of ['user_reacted_message', 'add_user_to_tag', 'user_call_oa', 'event_journey_acknowledged']) expect(derived(name)).toEqual([]);
  });
});
