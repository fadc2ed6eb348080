/** Shared set-up for the eSMS pull-API tests: a fake eSMS, a virtual clock, and a client wired to both. */
import { buildEsmsPullApi, type EsmsPullApiOptions } from '../../lib/esms-api';
import type { EsmsAccount } from '../../lib/reconcile/ports';
import { startFakeEsms, type FakeEsms } from '../../infra/fakes/esms-api';

export const ACCOUNT: EsmsAccount = { apiKey: 'APIKEY-5f1c9a77e2', secretKey: 'SECRET-0d83b64c19' };
export const T0 = Date.parse('2025-01-02T03:00:00Z');

/** Time that moves only when the code under test sleeps; each sleep is recorded. */
export const steppingClock = (start = T0) => {
  const clock = {
    t: start,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
};

/** A fake eSMS and a client sharing one stepping clock; no real waiting anywhere. */
export const startPair = async (options: Partial<EsmsPullApiOptions> = {}) => {
  const clock = steppingClock();
  const fake: FakeEsms = await startFakeEsms({ ...ACCOUNT, now: clock.now });
  const api = buildEsmsPullApi({
    baseUrl: fake.url,
    statusBaseUrl: `${fake.url}/`,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...options,
  });
  return { clock, fake, api };
};

/** Builds a `fetch` answering each call with the next of `answers` (the last one repeats). */
export const scriptedFetch = (answers: Array<{ status?: number; body: string } | Error>) => {
  const seen: string[] = [];
  const fetchFn = (async (input: string | URL | Request) => {
    seen.push(String(input));
    const next = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    if (next instanceof Error) throw next;
    return new Response(next.body, { status: next.status ?? 200 });
  }) as typeof fetch;
  return { fetch: fetchFn, seen };
};
