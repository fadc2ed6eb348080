/**
 * Campaign scale against DynamoDB's per-key limits (`DYNAMODB_THROTTLE_SCALE=100`: 10 WCU/s and 30 RCU/s per
 * key value), the local stand-in for a 100,000-recipient batch at 10,000 callbacks/s on DynamoDB: a
 * 1,000-recipient batch delivered at 100 callbacks/s in shuffled order (each recipient's delivered callback,
 * some late pending ones), interleaved with another tenant's traffic and a flood of unknown tokens. No valid
 * callback gets a non-2xx; the report counts the batch once with its totals; every recipient is listed; the
 * other tenant's messages are all there. And: every write refused for 20 s while callbacks arrive loses
 * nothing and counts nothing twice (the inbound buffer, then its drain).
 */
import { randomUUID } from 'node:crypto';
import { Agent, get as httpGet } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { callbackQuery } from '../support/callback-query';
import { rng } from '../support/callback-load';
import { getJson, readApi, TOKEN, useStack } from '../support/stack';

const SCALE = 100;
const stack = useStack({ env: { ...TENANT_ENV }, throttleScale: SCALE, aggregator: { batchWindowMs: 200 } });

const RECIPIENTS = 1000;
const LATE_PENDING = 100;
const RATE = 100;

interface Row { group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
interface MessageAnswer { message: { recipients: Array<{ phone: string | null; status: number | 'expired' | null }> }; next?: string }

const shuffle = <T>(items: T[], random: () => number): T[] => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

// A socket per request (a kept-alive one the server closed meanwhile would reset), no connect time-out: one process here plays API Gateway, every Lambda, the per-key proxy
// and the stream consumers at once, so an answer can queue for seconds; what is asserted is the answer itself.
const agent = new Agent({ keepAlive: false, maxSockets: 256 });
const get = (url: string) => new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
  httpGet(url, { agent }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: res.statusCode ?? 0, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Record<string, unknown> });
    });
  }).on('error', reject);
});
afterAll(() => agent.destroy());

/** Sends each request at its slot of a fixed rate (never waiting for answers), collecting every answer and its latency. */
const paced = async (urls: string[], perSecond: number) => {
  const started = Date.now();
  return Promise.all(urls.map(async (url, index) => {
    const due = started + (index * 1000) / perSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const sent = Date.now();
    const answer = await get(url);
    return { url, status: answer.status, body: answer.body, ms: Date.now() - sent };
  }));
};
const percentile = (answers: Array<{ ms: number }>, p: number) => {
  const sorted = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const listAll = async (path: string, key?: string) => {
  const recipients: MessageAnswer['message']['recipients'] = [];
  let next: string | undefined;
  do {
    const answer = key
      ? await getJson<MessageAnswer>(`${stack().url}${path}?limit=500${next ? `&next=${next}` : ''}`, { authorization: `Bearer ${key}` })
      : await readApi<MessageAnswer>(stack(), `${path}?limit=500${next ? `&next=${next}` : ''}`);
    expect(answer.status).toBe(200);
    recipients.push(...answer.body.message.recipients);
    next = answer.body.next;
  } while (next);
  return recipients;
};

describe('campaign scale against DynamoDB\'s per-key limits (1/100)', () => {
  let other: Onboarded;

  it('a 1,000-recipient batch at 100 callbacks/s, shuffled, beside another tenant and a flood of unknown tokens: no valid callback refused, counted once, every recipient listed', async () => {
    other = await onboard(stack(), 'other');
    const random = rng(19);
    const smsId = `camp-${randomUUID()}`;
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `09${String(20_000_000 + i * 13).slice(0, 8)}`);
    const final = { smsId, status: 5, receivers: RECIPIENTS, sent: RECIPIENTS, success: RECIPIENTS - 7, failed: 7, price: `${(RECIPIENTS - 7) * 750}.0000`, telco: 1 };
    const batch = shuffle([
      ...phones.map((phone) => callbackQuery({ ...final, phone })),
      ...phones.slice(0, LATE_PENDING).map((phone) => callbackQuery({ smsId, status: 7, receivers: RECIPIENTS, telco: 2, phone })),
    ], random).map((query) => `${stack().url}/esms/${TOKEN}/sms?${query}`);
    // The other tenant: 150 single-recipient messages, each 7 then 5.
    const theirs = Array.from({ length: 150 }, (_, i) => [
      callbackQuery({ smsId: `other-${i}`, status: 7, telco: 3, phone: `0933${String(100_000 + i)}` }),
      callbackQuery({ smsId: `other-${i}`, status: 5, sent: 1, success: 1, price: '500.0000', telco: 3, phone: `0933${String(100_000 + i)}` }),
    ]).flat().map((query) => `${other.callbackUrls.sms}?${query}`);
    const flood = Array.from({ length: 1000 }, () => `${stack().url}/esms/${randomUUID().replace(/-/g, '')}/sms?${callbackQuery({ smsId: 'x', status: 5 })}`);

    const [mine, others, strangers] = await Promise.all([paced(batch, RATE), paced(theirs, 30), paced(flood, 100)]);
    const buffered = mine.filter((answer) => answer.body.buffered === true).length;
    console.log(`[campaign] batch: ${mine.length} callbacks, ${buffered} buffered, latency p50 ${percentile(mine, 50)} ms p99 ${percentile(mine, 99)} ms; `
      + `throttled requests ${stack().throttle!.stats.throttled}, items ${stack().throttle!.stats.throttledItems}`);
    expect(mine.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(others.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(new Set(strangers.map((answer) => answer.status))).toEqual(new Set([404]));
    // Every request went through the per-key limits (test/infra/throttle-proxy.dynamo.test.ts shows they bite).
    expect(stack().throttle!.stats.requests).toBeGreaterThan(mine.length + others.length);

    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&by=channel`);
    expect(report.body.rows.map(({ requests, receivers, sent, success, failed, price }) => ({ requests, receivers, sent, success, failed, price })))
      .toEqual([{ requests: 1, receivers: RECIPIENTS, sent: RECIPIENTS, success: RECIPIENTS - 7, failed: 7, price: (RECIPIENTS - 7) * 750 }]);
    const recipients = await listAll(`/api/esms/messages/${smsId}`);
    expect(new Set(recipients.map((recipient) => recipient.phone))).toEqual(new Set(phones));
    expect(recipients.every((recipient) => recipient.status === 5)).toBe(true);

    const theirReport = await getJson<{ rows: Row[] }>(`${stack().url}/api/reports/daily?from=${day}&by=channel`, { authorization: `Bearer ${other.key}` });
    expect(theirReport.body.rows.map(({ requests, sent, success, price }) => ({ requests, sent, success, price }))).toEqual([{ requests: 150, sent: 150, success: 150, price: 150 * 500 }]);
    for (const i of [0, 77, 149]) {
      const view = await getJson<MessageAnswer>(`${stack().url}/api/esms/messages/other-${i}`, { authorization: `Bearer ${other.key}` });
      expect(view.body.message.recipients.map((recipient) => recipient.status)).toEqual([5]);
    }
  }, 300_000);

  it('every write refused for 20 s while callbacks arrive: every callback answered 200, none lost, none counted twice', async () => {
    const smsIds = Array.from({ length: 60 }, (_, i) => `outage-${randomUUID().slice(0, 8)}-${i}`);
    const queries = smsIds.flatMap((smsId, i) => [
      callbackQuery({ smsId, status: 7, telco: 1, phone: `0944${String(200_000 + i)}` }),
      callbackQuery({ smsId, status: 5, sent: 1, success: 1, price: '300.0000', telco: 1, phone: `0944${String(200_000 + i)}` }),
    ]);
    // Every callback twice (eSMS retries on time-outs): the second delivery must not count again.
    const urls = [...queries, ...queries].map((query) => `${stack().url}/esms/${other.token}/viber?${query.replace('TypeId=2', 'TypeId=23')}`);
    stack().throttle!.refuseWrites(20_000);
    const answers = await paced(urls, 12);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(answers.filter((answer) => (answer.body as { buffered?: boolean }).buffered).length).toBeGreaterThan(100);

    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const report = await getJson<{ rows: Row[] }>(`${stack().url}/api/reports/daily?from=${day}&by=channel`, { authorization: `Bearer ${other.key}` });
    expect(report.body.rows.find((row) => row.group === '23')).toMatchObject({ requests: 60, sent: 60, success: 60, price: 60 * 300 });
    for (const smsId of [smsIds[0]!, smsIds[59]!]) {
      const view = await getJson<{ message: { status: number; recipients: Array<{ history: unknown[] }> } }>(`${stack().url}/api/esms/messages/${smsId}`, { authorization: `Bearer ${other.key}` });
      expect(view.body.message.status).toBe(5);
      expect(view.body.message.recipients.flatMap((recipient) => recipient.history)).toHaveLength(2);
    }
  }, 300_000);
});
