/**
 * The delivery function on the local stack (its SQS emulation runs it as Lambda would): signed deliveries a
 * `standardwebhooks` receiver verifies, retries on the schedule with one webhook-id, the attempts list, and
 * a receiver that never answers not slowing another destination's deliveries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, getJson, postJson, useStack } from '../support/stack';
import { startReceiver, type Receiver } from './receiver';

const stack = useStack({ env: { DESTINATION_RETRY_SCHEDULE: '1s,1s' } });
const auth = { authorization: `Bearer ${API_KEY}` };
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

const register = async (answer: number | 'hang' = 204) => {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  const created = await postJson<{ id: string; secret: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: receiver.url }), auth);
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { receiver, id: created.body.id };
};
const sendTest = (id: string) => postJson<{ eventId: string }>(`${stack().url}/api/destinations/${id}/test`, '', auth);

describe('event delivery', () => {
  it('a test event arrives signed; the receiver verifies it with standardwebhooks', async () => {
    const { receiver, id } = await register();
    const sent = await sendTest(id);
    expect(sent.status).toBe(202);
    const [got] = await receiver.waitFor(1);
    expect(got).toMatchObject({ id: sent.body.eventId, type: 'destination.test', verified: true });
    expect(got!.headers['content-type']).toBe('application/json');
  });

  it('a receiver answering 500 gets every attempt of the schedule with the same webhook-id, listed by the attempts route', async () => {
    const { receiver, id } = await register(500);
    const sent = await sendTest(id);
    const got = await receiver.waitFor(3);
    expect(got.map((r) => r.id)).toEqual([sent.body.eventId, sent.body.eventId, sent.body.eventId]);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got.every((r) => r.verified)).toBe(true);
    // The schedule's waits (1 s each) hold between attempts.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(900);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(900);
    let attempts: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && attempts.length < 3; i += 1) {
      attempts = (await getJson<{ attempts: Array<Record<string, unknown>> }>(`${stack().url}/api/destinations/${id}/attempts`, auth)).body.attempts;
      if (attempts.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(attempts.map((a) => [a.attempt, a.status, a.ok, a.failed ?? false, a.answer])).toEqual([
      [3, 500, false, true, 'receiver says no'], [2, 500, false, false, 'receiver says no'], [1, 500, false, false, 'receiver says no'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(3);
  });

  it('a receiver that never answers does not slow another destination\'s deliveries', async () => {
    const hanging = await register('hang');
    const fast = await register(204);
    // Three deliveries hang for the 15 s timeout, each holding its invocation; the other destination's go out meanwhile.
    await Promise.all([1, 2, 3].map(() => sendTest(hanging.id)));
    await hanging.receiver.waitFor(3);
    const sentAt: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      sentAt.push(Date.now());
      await sendTest(fast.id);
    }
    const got = await fast.receiver.waitFor(5, () => true, 14_000);
    const latencies = got.map((r, i) => r.at - sentAt[i]!);
    console.log(`[destinations] other destination's latencies while one hangs: ${latencies.join(', ')} ms`);
    // The hanging deliveries end at 15 s; every one of the other destination's arrived well before, within the queue's own latency.
    expect(Math.max(...latencies)).toBeLessThan(5000);
    expect(hanging.receiver.received).toHaveLength(3);
  });
});
