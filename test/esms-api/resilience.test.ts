/** Result codes, retries and back-off of the eSMS pull adapter: what is retried, what is final, what leaks. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildEsmsPullApi } from '../../lib/esms-api';
import { ACCOUNT, scriptedFetch, startPair, steppingClock } from './support';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});
const pairFor = async (options: Parameters<typeof startPair>[0] = {}) => {
  const pair = await startPair(options);
  stop = pair.fake.stop;
  pair.fake.addMessage({ smsId: 'msg-1', typeId: 2, phones: ['0901888484'], sendStatus: 5, sendSuccess: 1, totalPrice: '850.0000', sentTimeMs: pair.clock.t - 600_000 });
  return pair;
};
const scripted = (answers: Parameters<typeof scriptedFetch>[0], maxRetries = 4) => {
  const clock = steppingClock();
  const script = scriptedFetch(answers);
  const api = buildEsmsPullApi({ baseUrl: 'http://127.0.0.1:9', statusBaseUrl: 'http://127.0.0.1:9', fetch: script.fetch, now: clock.now, sleep: clock.sleep, random: () => 0.5, maxRetries });
  return { api, clock, seen: script.seen };
};

describe('160 (over eSMS TPS limit)', () => {
  it('backs off exponentially with jitter and succeeds once the window has passed', async () => {
    const { api, fake, clock } = await pairFor();
    fake.setSwitches({ rateLimitTps: 1 });
    expect((await api.sendStatus(ACCOUNT, 'msg-1', 2)).kind).toBe('ok');
    const result = await api.sendStatus(ACCOUNT, 'msg-1', 2);
    expect(result.kind).toBe('ok');
    // One limiter wait (50 ms at 20 TPS), then back-offs 188, 375, 750 (half the ceiling + half jitter):
    // the 4th attempt of the second call lands 1,363 ms after the first call, outside eSMS's second.
    expect(clock.sleeps).toEqual([50, 188, 375, 750]);
    expect(fake.calls().GetSendStatus).toBe(1 + 4);
  });

  it('gives up as failed (code 160) after maxRetries retries', async () => {
    const { api, fake } = await pairFor({ maxRetries: 3 });
    fake.setSwitches({ rateLimitTps: 0 });
    const result = await api.queryZnsStatus(ACCOUNT, 'msg-1', 25);
    expect(result).toMatchObject({ kind: 'failed', code: '160' });
    expect(fake.calls().QueryZnsStatus).toBe(1 + 3);
  });

  it('keeps every back-off under the bound, and the jitter varies the delays', async () => {
    const randoms = [0.99, 0, 0.99, 0, 0.99, 0, 0.99, 0, 0.99, 0];
    const clock = steppingClock();
    const api = buildEsmsPullApi({
      baseUrl: 'http://127.0.0.1:9', statusBaseUrl: 'http://127.0.0.1:9', maxRetries: 10, backoffBaseMs: 250, backoffMaxMs: 2000,
      fetch: scriptedFetch([{ body: '{"CodeResult":"160"}' }]).fetch, now: clock.now, sleep: clock.sleep, random: () => randoms.shift() ?? 0.5,
    });
    expect(await api.receiverStatus(ACCOUNT, 'x')).toMatchObject({ kind: 'failed', code: '160' });
    expect(clock.sleeps).toEqual([249, 250, 995, 1000, 1990, 1000, 1990, 1000, 1990, 1000]);
  });
});

describe('HTTP and network failures', () => {
  it('retries HTTP 5xx and succeeds when eSMS recovers', async () => {
    const { api, seen } = scripted([{ status: 503, body: 'Service Unavailable' }, { status: 502, body: '' }, { body: '{"CodeResponse":"100","SMSID":"a","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":850.0000,"TotalReceiver":1,"TotalSent":1}' }]);
    const result = await api.sendStatus(ACCOUNT, 'a', 2);
    expect(result).toEqual({ kind: 'ok', value: 'SMSID=a&SendStatus=5&SendSuccess=1&SendFailed=0&TotalPrice=850.0000&TotalReceiver=1&TotalSent=1&TypeId=2' });
    expect(seen).toHaveLength(3);
  });

  it('HTTP 5xx forever: failed after maxRetries retries', async () => {
    const { api, seen } = scripted([{ status: 500, body: '' }], 2);
    expect(await api.sendStatus(ACCOUNT, 'a', 2)).toMatchObject({ kind: 'failed', code: 'http-500' });
    expect(seen).toHaveLength(3);
  });

  it('a time-out is retried, then failed', async () => {
    const { api, fake } = await pairFor({ timeoutMs: 100, maxRetries: 1 });
    fake.setSwitches({ slowMs: 3000 });
    expect(await api.sendStatus(ACCOUNT, 'msg-1', 2)).toMatchObject({ kind: 'failed', code: 'timeout' });
    // The fake counts a request when it answers it; a loaded machine may not have got there yet.
    await vi.waitFor(() => expect(fake.calls().GetSendStatus).toBe(2), { timeout: 10_000 });
  });

  it('a network error is failed without the URL (which holds the keys) in the message', async () => {
    const leak = new TypeError(`fetch failed for http://x/?ApiKey=${ACCOUNT.apiKey}&SecretKey=${ACCOUNT.secretKey}`, { cause: { code: 'ECONNREFUSED' } });
    const { api } = scripted([leak], 1);
    const result = await api.receiverStatus(ACCOUNT, 'a');
    expect(result).toMatchObject({ kind: 'failed', code: 'network' });
    expect(JSON.stringify(result)).toContain('ECONNREFUSED');
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${ACCOUNT.apiKey}|${ACCOUNT.secretKey}`));
  });
});

describe('result codes', () => {
  it('105: a too-young SMSID is not-yet, and ok once it is old enough', async () => {
    const { api, fake, clock } = await pairFor();
    fake.setSwitches({ notYetMs: 3_600_000 });
    expect(await api.sendStatus(ACCOUNT, 'msg-1', 2)).toEqual({ kind: 'not-yet', code: '105' });
    expect(await api.receiverStatus(ACCOUNT, 'msg-1')).toEqual({ kind: 'not-yet', code: '105' });
    expect(fake.calls().GetSendStatus).toBe(1);
    clock.t += 3_600_000;
    expect((await api.sendStatus(ACCOUNT, 'msg-1', 2)).kind).toBe('ok');
  });

  it('101: wrong keys are denied, not retried, and neither key is in the message', async () => {
    const { api, fake } = await pairFor();
    const wrong = { apiKey: 'WRONG-API-abc123', secretKey: 'WRONG-SECRET-def456' };
    for (const result of [
      await api.sendStatus(wrong, 'msg-1', 2),
      await api.sentData(wrong, 2, new Date(0), new Date(), 1, 10),
      await api.getCallback(wrong, ['msg-1']),
    ]) {
      expect(result).toMatchObject({ kind: 'denied', code: '101' });
      expect(JSON.stringify(result)).not.toMatch(/WRONG-API-abc123|WRONG-SECRET-def456/);
    }
    expect(fake.calls()).toMatchObject({ GetSendStatus: 1, GetSmsSentData_V2: 1, GetCallback: 1 });
  });

  it('101 and 140 are denied; an eSMS message echoing a key is scrubbed', async () => {
    const { api } = scripted([{ body: `{"CodeResult":"140","ErrorMessage":"IP not allowed for ${ACCOUNT.apiKey}/${ACCOUNT.secretKey}"}` }]);
    const result = await api.queryZnsStatus(ACCOUNT, 'a', 24);
    expect(result).toMatchObject({ kind: 'denied', code: '140' });
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${ACCOUNT.apiKey}|${ACCOUNT.secretKey}`));
  });

  it('an unknown code is failed, not retried', async () => {
    const { api, seen } = scripted([{ body: '{"CodeResult":"143","ErrorMessage":"Account locked"}' }]);
    expect(await api.queryZnsStatus(ACCOUNT, 'a', 24)).toMatchObject({ kind: 'failed', code: '143', message: expect.stringContaining('Account locked') });
    expect(seen).toHaveLength(1);
  });
});

describe('malformed answers are failed', () => {
  it('a non-JSON body from the fake fails every method', async () => {
    const { api, fake } = await pairFor();
    fake.setSwitches({ malformed: true });
    const results = [
      await api.sendStatus(ACCOUNT, 'msg-1', 2),
      await api.receiverStatus(ACCOUNT, 'msg-1'),
      await api.sentData(ACCOUNT, 2, new Date(0), new Date(), 1, 10),
      await api.getCallback(ACCOUNT, ['msg-1']),
      await api.queryZnsStatus(ACCOUNT, 'msg-1', 25),
    ];
    for (const result of results) expect(result).toMatchObject({ kind: 'failed', code: 'malformed' });
  });

  it.each([
    ['no result code', '{"SMSID":"a","SendStatus":5}'],
    ['code 100 without the totals', '{"CodeResponse":"100","SMSID":"a"}'],
    ['a non-numeric count', '{"CodeResponse":"100","SMSID":"a","SendFailed":"x","SendStatus":5,"SendSuccess":1,"TotalPrice":1,"TotalReceiver":1,"TotalSent":1}'],
    ['an answer about another SMSID', '{"CodeResponse":"100","SMSID":"b","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":1,"TotalReceiver":1,"TotalSent":1}'],
    ['a JSON array', '[1,2]'],
  ])('%s', async (_name, body) => {
    const { api, seen } = scripted([{ body }]);
    expect(await api.sendStatus(ACCOUNT, 'a', 2)).toMatchObject({ kind: 'failed', code: 'malformed' });
    expect(seen).toHaveLength(1);
  });

  it('numbers written as strings are read like numbers', async () => {
    const { api } = scripted([{ body: '{"CodeResponse":100,"SMSID":"a","SendFailed":"0","SendStatus":"5","SendSuccess":"1","TotalPrice":"470.0000","TotalReceiver":"1","TotalSent":"1"}' }]);
    expect(await api.sendStatus(ACCOUNT, 'a', 23)).toEqual({ kind: 'ok', value: 'SMSID=a&SendStatus=5&SendSuccess=1&SendFailed=0&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&TypeId=23' });
  });
});
