/**
 * Reconciliation against the local fake eSMS, through the real local stack: 1,000 messages (600 of them
 * SMS, more than one page of eSMS's sent-data list) where 10 % lose their final callback and 2 % are never
 * called back. One run makes the daily report equal eSMS's truth; a second run changes nothing; a run
 * stopped half-way and rerun ends the same; real callbacks arriving after the reconcile never double count.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../infra/fakes/esms-api';
import { buildEsmsPullApi } from '../../lib/esms-api';
import { reconcile } from '../../lib/reconcile/reconcile';
import { buildDocumentClient } from '../../lib/store/client';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { daysBetween, vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { rng, sendAll, type Delivery } from '../support/callback-load';
import { readApi, TOKEN, useStack } from '../support/stack';

const ADMIN_KEY = 'test-admin-key';
const stack = useStack({ aggregator: { batchWindowMs: 50 }, fakeEsms: true, env: { ADMIN_API_KEYS: ADMIN_KEY } });

interface Row { group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
type Totals = Omit<Row, 'group' | 'price'> & { priceE4: number };

const ROUTE: Record<number, string> = { 2: 'sms', 25: 'zns', 26: 'zalo' };
const OA = '1397492183140006179';

const queryOf = (m: FakeMessage, status: number, phone: string): string => {
  const final = status === m.sendStatus;
  return [
    callbackQuery({
      smsId: m.smsId, status, typeId: m.typeId, receivers: m.totalReceiver, sent: final ? m.totalSent : m.totalReceiver,
      success: final ? m.sendSuccess : 0, failed: final ? m.sendFailed : 0, price: final ? m.totalPrice : '0.0000', phone,
      ...(m.typeId === 26 ? {} : { telco: 1 }), ...(m.typeId !== 2 ? { oa: OA } : {}), ...(m.typeId === 25 ? { template: '2056446' } : {}),
    }),
    ...(m.partnerIds ? [`partnerids=${m.partnerIds}`] : []),
  ].join('&');
};

/** The fake's truth and the callbacks eSMS delivered of it (some finals lost, some messages never called back). */
const scenario = (count: number, seed: number) => {
  const random = rng(seed);
  const fake = stack().fakeEsms!;
  const now = Date.now();
  const delivered: Delivery[] = [];
  const lostFinals: Delivery[] = [];
  const truth: FakeMessage[] = [];
  for (let i = 0; i < count; i += 1) {
    const typeId = [2, 2, 2, 25, 26][i % 5]!;
    const phones = typeId === 2 && i % 7 === 0 ? ['0901000001', '0901000002', '0901000003'] : [`09${String(i).padStart(8, '0')}`];
    const success = Math.floor(random() * (phones.length + 1));
    const message = fake.addMessage({
      smsId: `rc-${seed}-${i}-${randomUUID().slice(0, 8)}`, typeId, phones, sendStatus: 5, totalReceiver: phones.length, totalSent: phones.length,
      sendSuccess: success, sendFailed: phones.length - success, totalPrice: `${phones.length * 850}.0000`, sentTimeMs: now - 5 * 60_000,
      telcoId: typeId === 26 ? undefined : 1, ...(typeId !== 2 ? { oaId: OA } : {}), ...(typeId === 25 ? { templateId: '2056446' } : {}),
      ...(typeId !== 2 ? { partnerIds: `zmsg${seed}x${i}` } : {}),
    });
    truth.push(message);
    const roll = random();
    // 2 % never called back (not Zalo-type: eSMS's sent-data list cannot show those), 10 % lose the final.
    if (roll < 0.02 && typeId !== 26) continue;
    for (const phone of phones) {
      delivered.push({ route: ROUTE[typeId]!, query: queryOf(message, 7, phone) });
      const final = { route: ROUTE[typeId]!, query: queryOf(message, 5, phone) };
      if (roll < 0.12) lostFinals.push(final);
      else delivered.push(final);
    }
  }
  return { truth, delivered, lostFinals };
};

const expectedOf = (truth: FakeMessage[]): Record<string, Totals> => {
  const rows: Record<string, Totals> = {};
  for (const m of truth) {
    const row = (rows[String(m.typeId)] ??= { requests: 0, receivers: 0, sent: 0, success: 0, failed: 0, priceE4: 0 });
    row.requests += 1;
    row.receivers += m.totalReceiver;
    row.sent += m.totalSent;
    row.success += m.sendSuccess;
    row.failed += m.sendFailed;
    row.priceE4 += Number(m.totalPrice.replace('.', ''));
  }
  return rows;
};

/** The report by channel, summed over yesterday and today (Vietnam time), so a run across midnight still adds up. */
const report = async (): Promise<Record<string, Totals>> => {
  await stack().poller!.drain();
  const today = vietnamDay(Date.now());
  const yesterday = vietnamDay(Date.now() - 86_400_000);
  const answer = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${yesterday}&to=${today}&by=channel`);
  const rows: Record<string, Totals> = {};
  for (const row of answer.body.rows) {
    const sum = (rows[row.group] ??= { requests: 0, receivers: 0, sent: 0, success: 0, failed: 0, priceE4: 0 });
    sum.requests += row.requests;
    sum.receivers += row.receivers;
    sum.sent += row.sent;
    sum.success += row.success;
    sum.failed += row.failed;
    sum.priceE4 += Math.round(row.price * 10_000);
  }
  return rows;
};

const reconcileOnce = async () => {
  const response = await fetch(`${stack().url}/api/admin/reconcile`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'default', from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }),
  });
  expect(response.status).toBe(200);
  return await response.json() as { checked: number; updated: number; discovered: number; failed: number; incomplete: boolean };
};

/** Runs reconciliation until a run completes (each admin call stops at its time budget). */
const reconcileAll = async () => {
  const total = { checked: 0, updated: 0, discovered: 0, failed: 0 };
  for (let run = 0; run < 20; run += 1) {
    const result = await reconcileOnce();
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += result[key];
    if (!result.incomplete) return total;
  }
  throw new Error('reconciliation never completed');
};

describe('reconciliation with eSMS (fake eSMS, real local stack)', () => {
  let truth: FakeMessage[] = [];
  let lostFinals: Delivery[] = [];

  it('after one run the report equals eSMS\'s truth for 1,000 messages (10 % lost finals, 2 % never called back)', async () => {
    const made = scenario(1000, 1);
    truth = made.truth;
    lostFinals = made.lostFinals;
    expect([...(await sendAll(stack().url, TOKEN, made.delivered)).keys()]).toEqual([200]);
    const before = await report();
    expect(before).not.toEqual(expectedOf(truth));
    const result = await reconcileAll();
    expect(result.failed).toBe(0);
    expect(result.discovered).toBeGreaterThan(0);
    expect(result.updated).toBeGreaterThanOrEqual(lostFinals.length > 0 ? 1 : 0);
    expect(await report()).toEqual(expectedOf(truth));
  }, 900_000);

  it('a second run changes nothing', async () => {
    const again = await reconcileAll();
    expect(again).toMatchObject({ updated: 0, discovered: 0, failed: 0 });
    expect(await report()).toEqual(expectedOf(truth));
  }, 120_000);

  it('the real final callbacks arriving after the reconcile never double count', async () => {
    expect(lostFinals.length).toBeGreaterThan(50);
    expect([...(await sendAll(stack().url, TOKEN, lostFinals)).keys()]).toEqual([200]);
    expect(await report()).toEqual(expectedOf(truth));
  }, 120_000);

  it('a run stopped half-way and run again ends where an uninterrupted run does', async () => {
    const made = scenario(300, 2);
    expect([...(await sendAll(stack().url, TOKEN, made.delivered)).keys()]).toEqual([200]);
    const doc = buildDocumentClient(stack().endpoint);
    const store = buildEsmsStore(doc, stack().tables.Messages);
    const api = buildEsmsPullApi({ baseUrl: stack().fakeEsms!.url, statusBaseUrl: stack().fakeEsms!.url, tps: 1000 });
    const account = { apiKey: process.env.ESMS_API_KEY!, secretKey: process.env.ESMS_SECRET_KEY! };
    const window = { fromMs: Date.now() - 3600_000, toMs: Date.now() + 60_000 };
    let calls = 0;
    const half = await reconcile({ api, store, now: Date.now, outOfTime: () => ++calls > 40 }, 'default', account, window);
    expect(half.incomplete).toBe(true);
    const rest = await reconcile({ api, store, now: Date.now }, 'default', account, window);
    expect(rest.incomplete).toBe(false);
    doc.destroy();
    expect(await report()).toEqual(expectedOf([...truth, ...made.truth]));
    expect(daysBetween(vietnamDay(window.fromMs), vietnamDay(window.toMs)).length).toBeLessThanOrEqual(2);
  }, 180_000);
});
