/**
 * Batches and long histories through the real local stack (HTTP → handlers → DynamoDB Local → stream →
 * aggregator → report): an SMSID counts once whatever its number of recipients, with its winning
 * callback's batch totals, and every distinct callback is kept and listed, page by page.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { mixedWorkload, rng, sendAll, type Delivery } from '../support/callback-load';
import { readApi, TOKEN, useStack } from '../support/stack';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });

interface Row { group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
interface HistoryEntry { query: string }
interface Recipient { phone: string | null; status: number; history: HistoryEntry[]; continued?: boolean }
interface MessageAnswer { message: { status: number; totals: Record<string, number>; recipients: Recipient[] }; next?: string }

const reportByChannel = async () => {
  const day = vietnamDay(Date.now());
  const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&by=channel`);
  return Object.fromEntries(report.body.rows.map((row) => [row.group, {
    requests: row.requests, receivers: row.receivers, sent: row.sent, success: row.success, failed: row.failed, priceE4: Math.round(row.price * 10_000),
  }]));
};

/** Every page of a message's view, following `next`. */
const allPages = async (smsId: string, limit: number): Promise<MessageAnswer[]> => {
  const pages: MessageAnswer[] = [];
  let next: string | undefined;
  do {
    const answer = await readApi<MessageAnswer>(stack(), `/api/esms/messages/${smsId}?limit=${limit}${next ? `&next=${next}` : ''}`);
    expect(answer.status).toBe(200);
    pages.push(answer.body);
    next = answer.body.next;
  } while (next);
  return pages;
};

describe('batches are counted per request (SMSID), with the winning callback\'s batch totals', () => {
  it('the realistic mix (singles 7→5, 1/2/7/5, batches of 2–50 phones), each callback 1–5 times, shuffled → report = the contract', async () => {
    const { deliveries, expected } = mixedWorkload(120, 20261130, `bx-${randomUUID().slice(0, 6)}-`);
    expect([...(await sendAll(stack().url, TOKEN, deliveries)).keys()]).toEqual([200]);
    await stack().poller!.drain();
    expect(await reportByChannel()).toEqual(Object.fromEntries(expected.byChannel));
    expect(stack().poller!.deadLetters).toEqual([]);
  }, 600_000);

  it('a 50-phone batch in three different arrival orders counts 1 request and 50 receivers each time', async () => {
    const before = (await reportByChannel())['2'] ?? { requests: 0, receivers: 0 };
    const random = rng(7);
    for (let round = 0; round < 3; round += 1) {
      const smsId = `b50-${round}-${randomUUID()}`;
      const deliveries: Delivery[] = [];
      for (let p = 0; p < 50; p += 1) {
        const phone = `0912${String(p).padStart(6, '0')}`;
        for (const status of [7, 5]) {
          const query = callbackQuery({ smsId, status, receivers: 50, sent: 50, success: status === 5 ? 48 : 0, failed: status === 5 ? 2 : 0, price: '42500.0000', phone, telco: 1 });
          for (let t = 0; t < 1 + Math.floor(random() * 3); t += 1) deliveries.push({ route: 'sms', query });
        }
      }
      deliveries.sort(() => random() - 0.5);
      expect([...(await sendAll(stack().url, TOKEN, deliveries)).keys()]).toEqual([200]);
      const pages = await allPages(smsId, 1000);
      expect(pages[0]!.message).toMatchObject({ status: 5, totals: { receivers: 50, sent: 50, success: 48, failed: 2 } });
      const recipients = pages.flatMap((page) => page.message.recipients);
      expect(new Set(recipients.map((r) => r.phone)).size).toBe(50);
      expect(recipients.every((r) => r.status === 5 && r.history.length === 2)).toBe(true);
    }
    await stack().poller!.drain();
    const after = (await reportByChannel())['2']!;
    expect(after.requests - before.requests).toBe(3);
    expect(after.receivers - before.receivers).toBe(150);
  }, 120_000);
});

describe('a long history stays whole', () => {
  it('1,000 distinct callbacks on one SMSID are all answered 200 and all listed across pages, none twice', async () => {
    const smsId = `long-${randomUUID()}`;
    // One recipient, many distinct callbacks (each a different price): they outgrow the head and overflow.
    const queries = Array.from({ length: 1000 }, (_, i) => callbackQuery({ smsId, status: 7, sent: 1, price: `${i}.0000`, phone: '0901888484', telco: 2 }));
    const statuses = await sendAll(stack().url, TOKEN, queries.map((query) => ({ route: 'sms', query })));
    expect([...statuses]).toEqual([[200, 1000]]);
    const pages = await allPages(smsId, 100);
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const listed = pages.flatMap((page) => page.message.recipients.flatMap((r) => r.history.map((entry) => entry.query)));
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(queries));
  }, 480_000);
});
