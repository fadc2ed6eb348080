/** The adapter's client-side rate limit, driven by a virtual clock so it is exact and instant. */
import { describe, expect, it } from 'vitest';
import { buildEsmsPullApi } from '../../lib/esms-api';
import { ACCOUNT, T0 } from './support';

/** Timers on virtual time: `run` fires them in order, letting promise chains settle between firings. */
const virtualTime = () => {
  let now = T0;
  const timers: Array<{ at: number; fire: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((fire) => void timers.push({ at: now + ms, fire })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.finally(() => (done = true));
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (next) {
          now = Math.max(now, next.at);
          next.fire();
        }
      }
      return work;
    },
  };
};

const OK = {
  GetSendStatus: '{"CodeResponse":"100","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":1.0,"TotalReceiver":1,"TotalSent":1}',
  GetSmsReceiverStatus_get: '{"CodeResult":"100","ReceiverList":[]}',
  QueryZnsStatus: '{"CodeResult":"100","Data":{"FinalStatus":"0","SendFailed":0,"SendStatus":7,"SendSuccess":0,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":1}}',
};

describe('client-side rate limit', () => {
  it.each([20, 7])('holds at most %i calls in any one-second window, across all methods, without slowing below it', async (tps) => {
    const time = virtualTime();
    const sentAt: number[] = [];
    const fetchFn = (async (input: string | URL | Request) => {
      sentAt.push(time.now());
      const name = (Object.keys(OK) as Array<keyof typeof OK>).find((n) => String(input).includes(`/${n}`))!;
      return new Response(OK[name]);
    }) as typeof fetch;
    const api = buildEsmsPullApi({ baseUrl: 'http://esms.test', statusBaseUrl: 'http://esms.test', tps, fetch: fetchFn, now: time.now, sleep: time.sleep });
    const calls = Array.from({ length: 100 }, (_, i) =>
      i % 3 === 0 ? api.sendStatus(ACCOUNT, `m${i}`, 2) : i % 3 === 1 ? api.receiverStatus(ACCOUNT, `m${i}`) : api.queryZnsStatus(ACCOUNT, `m${i}`, 25));
    const results = await time.run(Promise.all(calls));

    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(sentAt).toHaveLength(100);
    // In any window [t, t + 1000 ms) at most `tps` calls: the call `tps` places later is ≥ 1 s later.
    for (let i = 0; i + tps < sentAt.length; i++) expect(sentAt[i + tps]! - sentAt[i]!).toBeGreaterThanOrEqual(1000);
    // And no slower than needed: 100 calls take 99 intervals (each rounded up to a whole millisecond).
    expect(sentAt[99]! - sentAt[0]!).toBeGreaterThanOrEqual((99 * 1000) / tps);
    expect(sentAt[99]! - sentAt[0]!).toBeLessThanOrEqual((99 * 1000) / tps + 99);
  });

  it('retries go through the limit too', async () => {
    const time = virtualTime();
    const sentAt: number[] = [];
    let n = 0;
    const fetchFn = (async () => {
      sentAt.push(time.now());
      return new Response(n++ % 2 === 0 ? '{"CodeResult":"160"}' : OK.GetSmsReceiverStatus_get);
    }) as typeof fetch;
    const api = buildEsmsPullApi({ baseUrl: 'http://esms.test', statusBaseUrl: 'http://esms.test', tps: 2, fetch: fetchFn, now: time.now, sleep: time.sleep, backoffBaseMs: 10, backoffMaxMs: 10 });
    await time.run(Promise.all(Array.from({ length: 6 }, (_, i) => api.receiverStatus(ACCOUNT, `m${i}`))));
    expect(sentAt).toHaveLength(12);
    for (let i = 0; i + 2 < sentAt.length; i++) expect(sentAt[i + 2]! - sentAt[i]!).toBeGreaterThanOrEqual(1000);
  });
});
