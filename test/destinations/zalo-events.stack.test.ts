/**
 * `zalo.*` events on the local stack, each produced by its real trigger: the Zalo fixtures re-signed with the
 * tenant's own app key and POSTed to /zalo/webhook, and eSMS callbacks carrying a Zalo msg_id; the projector
 * derives the events from the stored items' stream records and a `standardwebhooks` receiver verifies them.
 * A duplicate webhook makes no second event; a replay sends the same ids and bodies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, postJson, useStack } from '../support/stack';
import { esmsFixture, zaloFixture, ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { retimed, signed, unsignedHeaders } from '../zalo/sign';
import { startReceiver, type Receiver } from './receiver';

const stack = useStack({ env: { ...TENANT_ENV, DESTINATION_RETRY_SCHEDULE: '1s,1s' }, aggregator: { batchWindowMs: 50 } });
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

const APP = '9700000000000000077';
const SECRET = 'zev-oa-secret';
const settle = async () => {
  await stack().poller?.drain();
  await stack().queues.idle();
};

/** A fixture moved to this tenant's app and to `at`, signed with its key, POSTed to the webhook. */
const postFixture = async (name: string, at: number, edit: (raw: string) => string = (raw) => raw) => {
  const fixture = zaloFixture(name);
  const raw = edit(retimed(fixture.rawBody, at).replace(ZALO_FIXTURE_APP_ID, APP));
  const answer = await postJson(`${stack().url}/zalo/webhook`, raw, signed(raw, unsignedHeaders(fixture), SECRET).headers);
  expect(answer.status).toBe(200);
  return answer.body;
};

describe('zalo.* events from real webhooks', () => {
  let tenant: Onboarded;
  let hook: Receiver;
  let destination: string;
  const start = Date.now() - 60_000;

  it('a tenant with a Zalo app and a destination', async () => {
    tenant = await onboard(stack(), 'zev');
    expect((await call(stack(), 'PUT', `/api/admin/tenants/zev/zalo-apps/${APP}`, { body: { oaSecretKey: SECRET } })).status).toBe(201);
    hook = await startReceiver(204);
    receivers.push(hook);
    const created = await postJson<{ id: string; secret: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: hook.url }), { authorization: `Bearer ${tenant.key}` });
    expect(created.status).toBe(201);
    hook.secret = created.body.secret;
    destination = created.body.id;
  });

  it('each kind of stored Zalo event reaches the destination as its zalo.* type, verified, once per stored event', async () => {
    let at = Date.now() - 30_000;
    const next = () => (at += 1000);
    expect(await postFixture('oa_send_text', next())).toEqual({ ok: true, duplicate: false });
    const userText = next();
    expect(await postFixture('user_send_text', userText)).toEqual({ ok: true, duplicate: false });
    // Zalo's retry of the same event: stored once, one event.
    expect(await postFixture('user_send_text', userText)).toEqual({ ok: true, duplicate: true });
    await postFixture('user_seen_message', next());
    await postFixture('follow', next());
    await postFixture('user_reply_consent', next());
    await postFixture('change_template_status', next());
    await postFixture('change_oa_daily_quota', next());
    const revoked = JSON.stringify({ app_id: APP, event_name: 'permission_revoked', oa_id: '1397492183140006179', timestamp: String(next()) });
    expect((await postJson(`${stack().url}/zalo/webhook`, revoked, signed(revoked, undefined, SECRET).headers)).status).toBe(200);
    await settle();
    const got = await hook.waitFor(9);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await settle();
    const types = hook.received.map((r) => r.type).sort();
    expect(types).toEqual([
      'zalo.consent.changed', 'zalo.follower.changed', 'zalo.message.status', 'zalo.message.status', 'zalo.message.status',
      'zalo.oa.disconnected', 'zalo.quota.changed', 'zalo.template.changed', 'zalo.user_message',
    ]);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(new Set(hook.received.map((r) => r.id)).size).toBe(9);
    const statuses = hook.received.filter((r) => r.type === 'zalo.message.status').map((r) => [r.data.msgId, r.data.status]);
    expect(statuses.sort()).toEqual([['1a2b3c4d5e6f7a8b9c0d', 'seen'], ['1a2b3c4d5e6f7a8b9c0d', 'sent'], ['2a3b4c5d6e7f8a9b0c1d', 'seen']]);
    expect(hook.received.find((r) => r.type === 'zalo.consent.changed')!.data).toMatchObject({ phone: '84901234567', state: 'ALLOW' });
    expect(hook.received.find((r) => r.type === 'zalo.user_message')!.data).toMatchObject({ eventName: 'user_send_text', message: { text: expect.any(String) as unknown } });
  });

  it('a ZNS receipt names the eSMS SMSID that carried its msg_id; a ZNS send eSMS reports failed is zalo.message.status failed', async () => {
    const linked = esmsFixture('zns-by-uid-plain-json'); // TypeId 25, partnerids=416f53d0cf0ec7569e19, delivered
    expect((await getJson(`${tenant.callbackUrls.zns}?${linked}`)).status).toBe(200);
    await settle();
    await postFixture('user_received_message', Date.now() - 5000, (raw) => raw.replace('15a0cc0bbb13bd4ce403', '416f53d0cf0ec7569e19'));
    const failed = esmsFixture('error-info-dotnet-trailer'); // TypeId 25, partnerids=7984e9b198c40e9957d6, SendFailed=1
    expect((await getJson(`${tenant.callbackUrls.zns}?${failed}`)).status).toBe(200);
    await settle();
    const [received] = await hook.waitFor(1, (r) => r.type === 'zalo.message.status' && r.data.msgId === '416f53d0cf0ec7569e19');
    expect(received!.data).toMatchObject({ status: 'received', channel: 'zns', smsId: '5450d5579bfa466a9f2a5911c82f4037', smsIds: ['5450d5579bfa466a9f2a5911c82f4037'], trackingId: 'esms-req-20260101-0001' });
    const [lost] = await hook.waitFor(1, (r) => r.type === 'zalo.message.status' && r.data.status === 'failed');
    expect(lost!.data).toMatchObject({ msgId: '7984e9b198c40e9957d6', smsId: '4a496110-9fd3-4838-ac8b-bcaa36616f7011', channel: 'zns', phone: '0909090909', errorCode: -124, source: 'callback' });
    expect(lost!.verified).toBe(true);
  });

  it('a replay sends the same webhook-ids with the same bodies', async () => {
    const before = new Map(hook.received.map((r) => [r.id, r.body]));
    const count = hook.received.length;
    const replay = await postJson<{ queued: number }>(`${stack().url}/api/destinations/${destination}/replay`,
      JSON.stringify({ from: new Date(start).toISOString(), to: new Date().toISOString() }), { authorization: `Bearer ${tenant.key}` });
    expect(replay.status).toBe(202);
    await settle();
    const again = (await hook.waitFor(count * 2)).slice(count);
    const zalo = again.filter((r) => r.type.startsWith('zalo.'));
    expect(zalo.length).toBe([...before.keys()].filter((id) => hook.received.find((r) => r.id === id)!.type.startsWith('zalo.')).length);
    for (const r of zalo) expect(before.get(r.id)).toBe(r.body);
  });
});
