/**
 * Events derived from the messages table's stream on the local stack (the projector → the event log and the
 * delivery queue → the delivery function), received by `standardwebhooks` receivers: a callback's
 * esms.message.updated and esms.recipient.updated, once per state change (never for a duplicate or a
 * callback that loses the ranking), two tenants each hearing only their own, a disabled destination nothing,
 * and a batch's recipients one event per status change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, postJson, useStack } from '../support/stack';
import { onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { startReceiver, type Receiver, type Received } from './receiver';

const stack = useStack({ env: { ...TENANT_ENV, DESTINATION_RETRY_SCHEDULE: '1s,1s' }, aggregator: { batchWindowMs: 50 } });
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

const register = async (key: string, body: Record<string, unknown> = {}) => {
  const receiver = await startReceiver(204);
  receivers.push(receiver);
  const created = await postJson<{ id: string; secret: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: receiver.url, ...body }), { authorization: `Bearer ${key}` });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { receiver, id: created.body.id };
};

const single = (smsId: string, phone: string, status: number, price = '500.0000') =>
  `SMSID=${smsId}&SendFailed=0&SendStatus=${status}&SendSuccess=${status === 5 ? 1 : 0}&TotalPrice=${price}&TotalReceiver=1&TotalSent=1&RequestId=req-${smsId}&TypeId=2&telcoid=1&phonenumber=${phone}`;
const batch = (smsId: string, phone: string, status: number, total: number, success: number) =>
  `SMSID=${smsId}&SendFailed=0&SendStatus=${status}&SendSuccess=${success}&TotalPrice=${total * 500}.0000&TotalReceiver=${total}&TotalSent=${total}&RequestId=&TypeId=2&telcoid=1&phonenumber=${phone}`;
const send = async (url: string, query: string) => {
  const answer = await getJson(`${url}?${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};
/** Every stream record handled and every delivery made (or parked for a retry). */
const settle = async () => {
  await stack().poller?.drain();
  await stack().queues.idle();
};
const of = (list: Received[], type: string, smsId: string) => list.filter((r) => r.type === type && r.data.smsId === smsId);

describe('events from the stream', () => {
  let acme: Onboarded;
  let beta: Onboarded;
  let acmeHook: Receiver;
  let betaHook: Receiver;
  let disabledHook: Receiver;

  it('tenants register their destinations (one of them disabled)', async () => {
    acme = await onboard(stack(), 'acme');
    beta = await onboard(stack(), 'beta');
    acmeHook = (await register(acme.key)).receiver;
    betaHook = (await register(beta.key)).receiver;
    const disabled = await register(acme.key);
    disabledHook = disabled.receiver;
    const patched = await fetch(`${stack().url}/api/destinations/${disabled.id}`, {
      method: 'PATCH', body: JSON.stringify({ enabled: false }), headers: { authorization: `Bearer ${acme.key}`, 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(200);
  });

  it('a message\'s callbacks make one esms.message.updated per state change with increasing versions, and one esms.recipient.updated per status change', async () => {
    const sms = acme.callbackUrls.sms!;
    await send(sms, single('ev-one', '0901000001', 2));
    await acmeHook.waitFor(2, (r) => r.data.smsId === 'ev-one');
    expect(await send(sms, single('ev-one', '0901000001', 5))).toEqual({ ok: true, duplicate: false });
    expect(await send(sms, single('ev-one', '0901000001', 5))).toEqual({ ok: true, duplicate: true });
    // A later status 2 with another price loses the ranking: stored, but no state changed.
    expect(await send(sms, single('ev-one', '0901000001', 2, '1.0000'))).toEqual({ ok: true, duplicate: false });
    await acmeHook.waitFor(4, (r) => r.data.smsId === 'ev-one');
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const messages = of(acmeHook.received, 'esms.message.updated', 'ev-one');
    const recipients = of(acmeHook.received, 'esms.recipient.updated', 'ev-one');
    expect(messages.map((r) => [r.data.status, r.data.final, r.data.source])).toEqual([[2, false, 'callback'], [5, true, 'callback']]);
    expect(messages[0]!.data).toMatchObject({ smsId: 'ev-one', requestId: 'req-ev-one', typeId: 2, channel: 'sms', statusName: 'waiting', price: 500, telco: 'viettel', expired: false });
    expect(messages[1]!.data).toMatchObject({ statusName: 'sent', totals: { receivers: 1, sent: 1, success: 1, failed: 0 } });
    expect(Number(messages[1]!.data.version)).toBeGreaterThan(Number(messages[0]!.data.version));
    expect(recipients.map((r) => [r.data.phone, r.data.status])).toEqual([['0901000001', 2], ['0901000001', 5]]);
    expect([...messages, ...recipients].every((r) => r.verified)).toBe(true);
    expect(new Set([...messages, ...recipients].map((r) => r.id)).size).toBe(4);
  });

  it('two tenants each hear only their own events; a disabled destination hears nothing', async () => {
    await send(beta.callbackUrls.sms!, single('ev-beta', '0902000002', 5));
    await betaHook.waitFor(2, (r) => r.data.smsId === 'ev-beta');
    await settle();
    expect(betaHook.received.every((r) => r.data.smsId === 'ev-beta')).toBe(true);
    expect(acmeHook.received.some((r) => r.data.smsId === 'ev-beta')).toBe(false);
    expect(disabledHook.received).toEqual([]);
  });

  it('a batch: one esms.message.updated per state change of the request, one esms.recipient.updated per recipient status change, none for duplicates', async () => {
    const sms = acme.callbackUrls.sms!;
    const phones = Array.from({ length: 20 }, (_, i) => `09030000${String(i).padStart(2, '0')}`);
    // First ten recipients reach the telco (7), then all twenty are sent (5); every callback is sent twice.
    for (const phone of phones.slice(0, 10)) for (let twice = 0; twice < 2; twice += 1) await send(sms, batch('ev-batch', phone, 7, 20, 0));
    await acmeHook.waitFor(11, (r) => r.data.smsId === 'ev-batch');
    for (const phone of phones) for (let twice = 0; twice < 2; twice += 1) await send(sms, batch('ev-batch', phone, 5, 20, 20));
    await acmeHook.waitFor(32, (r) => r.data.smsId === 'ev-batch');
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const messages = of(acmeHook.received, 'esms.message.updated', 'ev-batch');
    const recipients = of(acmeHook.received, 'esms.recipient.updated', 'ev-batch');
    expect(messages.map((r) => r.data.status)).toEqual([7, 5]);
    expect(recipients).toHaveLength(30);
    expect(recipients.filter((r) => r.data.status === 7).map((r) => r.data.phone).sort()).toEqual(phones.slice(0, 10));
    expect(recipients.filter((r) => r.data.status === 5).map((r) => r.data.phone).sort()).toEqual(phones);
    expect(recipients.every((r) => r.verified)).toBe(true);
  });
});
