/**
 * The per-destination cap of deliveries in flight (DESTINATION_MAX_IN_FLIGHT) on the local stack: a destination
 * that never answers, with a backlog larger than the delivery function's whole concurrency (100 events; the SQS
 * emulation runs 8 invocations of 10 messages), holds only its slots of it; another destination's deliveries go
 * out meanwhile at the queue's own latency. The cap holds for a failing destination (its first delivery's
 * 15 s time-out makes it one), so the test waits for that first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, getJson, postJson, useStack } from '../support/stack';
import { startReceiver, type Receiver } from './receiver';

const CAP = 2;
const stack = useStack({ env: { DESTINATION_RETRY_SCHEDULE: '1s,1s', DESTINATION_MAX_IN_FLIGHT: String(CAP) } });
const auth = { authorization: `Bearer ${API_KEY}` };
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

const register = async (answer: number | 'hang') => {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  const created = await postJson<{ id: string; secret: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: receiver.url }), auth);
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { receiver, id: created.body.id };
};
const sendTest = async (id: string) => expect((await postJson(`${stack().url}/api/destinations/${id}/test`, '', auth)).status).toBe(202);

describe('a per-destination cap of deliveries in flight', () => {
  it('a hanging destination with a backlog beyond the function\'s concurrency holds only its slots; another destination\'s deliveries are not slowed', async () => {
    const hanging = await register('hang');
    const fast = await register(204);
    // Its first delivery times out (15 s): the destination is failing from then on, and capped.
    await sendTest(hanging.id);
    await hanging.receiver.waitFor(1);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const listed = await getJson<{ destination: { failingSince?: string } }>(`${stack().url}/api/destinations/${hanging.id}`, auth);
      if (listed.body.destination.failingSince !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (let i = 0; i < 100; i += 10) await Promise.all(Array.from({ length: 10 }, () => sendTest(hanging.id)));
    const before = hanging.receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sentAt: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      sentAt.push(Date.now());
      await sendTest(fast.id);
    }
    const got = await fast.receiver.waitFor(5, () => true, 40_000);
    const latencies = got.map((r, i) => r.at - sentAt[i]!);
    const during = hanging.receiver.received.length - before;
    console.log(`[destinations] with ${CAP} slots, 100 events to a failing destination that hangs: the other destination's latencies ${latencies.join(', ')} ms; requests the hanging one got meanwhile: ${during}`);
    expect(Math.max(...latencies)).toBeLessThan(5000);
    // At most its slots' deliveries reached the hanging receiver; the rest wait on the queue, unsent.
    expect(during).toBeLessThanOrEqual(CAP);
  });
});
