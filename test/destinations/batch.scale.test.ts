/**
 * A 1,000-recipient batch on the local stack: every recipient reaches the telco (7), then every one is sent
 * (5), one callback in ten arriving twice (eSMS's retries). The destination hears one esms.message.updated per state change of the
 * request (two) and one esms.recipient.updated per recipient status change (2,000), not one more.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runInLanes } from '../../lib/lanes';
import { API_KEY, esmsUrl, getJson, postJson, useStack } from '../support/stack';
import { startReceiver, type Receiver } from './receiver';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
let receiver: Receiver;
afterAll(async () => { await receiver?.close(); });

const RECIPIENTS = 1000;
const SMSID = 'scale-batch-1000';
const query = (phone: string, status: number) =>
  `SMSID=${SMSID}&SendFailed=0&SendStatus=${status}&SendSuccess=${status === 5 ? RECIPIENTS : 0}&TotalPrice=${RECIPIENTS * 500}.0000&TotalReceiver=${RECIPIENTS}&TotalSent=${RECIPIENTS}&RequestId=&TypeId=2&telcoid=1&phonenumber=${phone}`;

describe('a 1,000-recipient batch', () => {
  it('one esms.message.updated per state change and one esms.recipient.updated per recipient change, duplicates making none', { timeout: 300_000 }, async () => {
    receiver = await startReceiver(204);
    const created = await postJson<{ secret: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: receiver.url }), { authorization: `Bearer ${API_KEY}` });
    receiver.secret = created.body.secret;
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `0904${String(i).padStart(6, '0')}`);
    const started = Date.now();
    const sendAll = async (status: number) => {
      const outcomes = await runInLanes([...phones, ...phones.filter((_, i) => i % 10 === 0)], 16, async (phone) => (await getJson(esmsUrl(stack(), 'sms', query(phone, status)))).status);
      expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && outcome.value === 200)).toBe(true);
    };
    await sendAll(7);
    await receiver.waitFor(RECIPIENTS, (r) => r.type === 'esms.recipient.updated', 120_000);
    await sendAll(5);
    await receiver.waitFor(2 * RECIPIENTS, (r) => r.type === 'esms.recipient.updated', 120_000);
    await stack().poller?.drain();
    await stack().queues.idle();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const messages = receiver.received.filter((r) => r.type === 'esms.message.updated');
    const recipients = receiver.received.filter((r) => r.type === 'esms.recipient.updated');
    console.log(`[destinations] 2,200 callbacks → ${messages.length} message and ${recipients.length} recipient events in ${Date.now() - started} ms`);
    expect(messages.map((r) => r.data.status)).toEqual([7, 5]);
    expect(recipients).toHaveLength(2 * RECIPIENTS);
    expect(new Set(recipients.map((r) => r.id)).size).toBe(2 * RECIPIENTS);
    for (const status of [7, 5]) expect(new Set(recipients.filter((r) => r.data.status === status).map((r) => r.data.phone)).size).toBe(RECIPIENTS);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });
});
