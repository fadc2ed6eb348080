/**
 * Alerts on the local stack, each from its real trigger: a reconciliation run (POST /api/admin/reconcile against
 * the fake eSMS) that completes a lost callback and discovers an SMSID never called back makes one
 * `alert.callbacks_lost`; a flood of unparsed Zalo events (signed, unknown names) and malformed eSMS callbacks makes
 * one `alert.unparsed_events` per tenant and hour. Received by a `standardwebhooks` receiver.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_ESMS_DEFAULT_KEYS } from '../../infra/fakes/esms-api';
import { vietnamHour } from '../../lib/table/destinations';
import { getJson, postJson, useStack } from '../support/stack';
import { call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { signed } from '../zalo/sign';
import { startReceiver, type Receiver } from './receiver';

const stack = useStack({ env: { ...TENANT_ENV, DESTINATION_RETRY_SCHEDULE: '1s,1s' }, aggregator: { batchWindowMs: 50 }, fakeEsms: true });
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

const APP = '9700000000000000088';
const SECRET = 'alr-oa-secret';
const settle = async () => {
  await stack().poller?.drain();
  await stack().queues.idle();
};

describe('alerts from their real triggers', () => {
  let tenant: Onboarded;
  let hook: Receiver;

  it('a tenant with an eSMS account, a Zalo app and a destination taking the alerts', async () => {
    tenant = await onboard(stack(), 'alr');
    expect((await call(stack(), 'PUT', '/api/admin/tenants/alr/esms-account', { body: FAKE_ESMS_DEFAULT_KEYS })).status).toBe(200);
    expect((await call(stack(), 'PUT', `/api/admin/tenants/alr/zalo-apps/${APP}`, { body: { oaSecretKey: SECRET } })).status).toBe(201);
    hook = await startReceiver(204);
    receivers.push(hook);
    const created = await postJson<{ id: string; secret: string }>(`${stack().url}/api/destinations`,
      JSON.stringify({ url: hook.url, events: ['alert.callbacks_lost', 'alert.unparsed_events'] }), { authorization: `Bearer ${tenant.key}` });
    expect(created.status).toBe(201);
    hook.secret = created.body.secret;
  });

  it('a reconciliation that finds a lost callback and an SMSID never called back makes one alert.callbacks_lost', async () => {
    const sentTimeMs = Date.now() - 30 * 60_000;
    const fake = stack().fakeEsms!;
    const lost = fake.addMessage({ smsId: `alr-lost-${randomUUID().slice(0, 8)}`, typeId: 2, phones: ['0901000001'], sendStatus: 5, totalReceiver: 1, totalSent: 1, sendSuccess: 1, sendFailed: 0, totalPrice: '850.0000', sentTimeMs, telcoId: 1 });
    const silent = fake.addMessage({ smsId: `alr-silent-${randomUUID().slice(0, 8)}`, typeId: 2, phones: ['0901000002'], sendStatus: 5, totalReceiver: 1, totalSent: 1, sendSuccess: 1, sendFailed: 0, totalPrice: '850.0000', sentTimeMs, telcoId: 1 });
    // Only the first callback of `lost` arrived (status 7): its final one was lost.
    expect((await getJson(`${tenant.callbackUrls.sms}?SMSID=${lost.smsId}&SendFailed=0&SendStatus=7&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0901000001`)).status).toBe(200);
    await settle();
    const run = await call<{ updated: number; discovered: number }>(stack(), 'POST', '/api/admin/reconcile',
      { body: { tenant: 'alr', from: new Date(Date.now() - 2 * 3_600_000).toISOString(), to: new Date().toISOString() } });
    expect(run.status).toBe(200);
    expect([run.body.updated, run.body.discovered]).toEqual([2, 1]);
    await settle();
    const [alert] = await hook.waitFor(1, (r) => r.type === 'alert.callbacks_lost');
    expect(alert!.verified).toBe(true);
    expect(alert!.data).toMatchObject({ lost: 1, neverSeen: 1, lostSmsIds: [lost.smsId], neverSeenSmsIds: [silent.smsId] });
    // A second run finds nothing more: no finding, no alert.
    expect((await call<{ updated: number }>(stack(), 'POST', '/api/admin/reconcile', { body: { tenant: 'alr' } })).body.updated).toBe(0);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hook.received.filter((r) => r.type === 'alert.callbacks_lost')).toHaveLength(1);
  });

  it('a flood of unparsed Zalo events and malformed eSMS callbacks makes one alert.unparsed_events per hour', async () => {
    const hours = new Set([vietnamHour(Date.now())]);
    for (let i = 0; i < 12; i += 1) {
      const body = JSON.stringify({ app_id: APP, event_name: `brand_new_event_${i}`, oa_id: '1397492183140006179', timestamp: String(Date.now()) });
      const answer = await postJson(`${stack().url}/zalo/webhook`, body, signed(body, undefined, SECRET).headers);
      expect(answer.body).toMatchObject({ ok: true });
    }
    for (let i = 0; i < 5; i += 1) {
      expect((await getJson(`${tenant.callbackUrls.sms}?SMSID=&SendStatus=banana${i}`)).status).toBe(400);
    }
    hours.add(vietnamHour(Date.now()));
    await settle();
    const alerts = await hook.waitFor(hours.size, (r) => r.type === 'alert.unparsed_events');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await settle();
    expect(hook.received.filter((r) => r.type === 'alert.unparsed_events')).toHaveLength(hours.size);
    expect(alerts[0]!.verified).toBe(true);
    expect(alerts[0]!.data).toMatchObject({ first: { source: 'zalo', route: 'webhook', reason: 'unparsed' } });
    // The rejected log holds every one of them.
    const listed = await getJson<{ rejected: unknown[] }>(`${stack().url}${String(alerts[0]!.data.list)}&limit=100`, { authorization: `Bearer ${tenant.key}` });
    expect(listed.body.rejected.length).toBeGreaterThanOrEqual(17);
  });
});
