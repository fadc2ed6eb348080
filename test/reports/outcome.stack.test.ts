/**
 * Reports `by=outcome` through the local stack (real DynamoDB stream, the aggregator's counters): three ZNS
 * messages start pending (SendStatus 7); final callbacks then move one to failed (-118) and one to delivered;
 * each move takes the message's counts out of `pending` into its new outcome, never counting it twice, and
 * the CSV holds the same rows. The late sweep moves the last one to expired.
 */
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { API_KEY, esmsUrl, getJson, postJson, readApi, useStack } from '../support/stack';

const ADMIN_KEY = 'test-admin-key';
// 0.0005 h = 1.8 s: the messages are older than that when the sweep is asked for.
const stack = useStack({ aggregator: { batchWindowMs: 50 }, env: { ADMIN_API_KEYS: ADMIN_KEY, LATE_REPORT_HOURS: '0.0005' } });

interface Row { day: string; group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
interface Report { by: string; rows: Row[] }

const OA = '1397492183140006179';
const errorInfo = (value: object) => `&error_info=${encodeURIComponent(JSON.stringify(value))}`;

describe('GET /api/reports/daily?by=outcome', () => {
  const stamp = Date.now();
  const base = { typeId: 24, receivers: 1, oa: OA, template: `tpl-${stamp}`, telco: 1 };
  const ids = { failed: `ro-f-${stamp}`, delivered: `ro-d-${stamp}`, expired: `ro-x-${stamp}` };
  const day = vietnamDay(Date.now());
  const send = async (query: string) => expect((await getJson(esmsUrl(stack(), 'zns', query))).status).toBe(200);
  const report = async () => {
    await stack().poller!.drain();
    const answer = await readApi<Report>(stack(), `/api/reports/daily?from=${day}&to=${day}&by=outcome`);
    expect(answer.status).toBe(200);
    return Object.fromEntries(answer.body.rows.map(({ group, requests, sent, success, failed }) => [group, { requests, sent, success, failed }]));
  };

  it('counts every message pending until a final callback, then moves each to failed or delivered exactly once', async () => {
    for (const smsId of Object.values(ids)) await send(callbackQuery({ ...base, smsId, phone: `0907${smsId.slice(-6)}`, status: 7, sent: 1 }));
    expect(await report()).toEqual({ pending: { requests: 3, sent: 3, success: 0, failed: 0 } });

    await send(callbackQuery({ ...base, smsId: ids.failed, phone: `0907${ids.failed.slice(-6)}`, status: 5, sent: 1, failed: 1 })
      + errorInfo({ error: -118, message: 'Zalo account not existed' }));
    await send(callbackQuery({ ...base, smsId: ids.delivered, phone: `0907${ids.delivered.slice(-6)}`, status: 5, sent: 1, success: 1, price: '300.0000' })
      + errorInfo({ error: 0, message: 'Success', data: { msg_id: `z${stamp}` } }));
    // A retry of the final callback and a late non-final one change nothing.
    await send(callbackQuery({ ...base, smsId: ids.failed, phone: `0907${ids.failed.slice(-6)}`, status: 5, sent: 1, failed: 1 })
      + errorInfo({ error: -118, message: 'Zalo account not existed' }));
    await send(callbackQuery({ ...base, smsId: ids.delivered, phone: `0907${ids.delivered.slice(-6)}`, status: 2, sent: 1 }));
    expect(await report()).toEqual({
      pending: { requests: 1, sent: 1, success: 0, failed: 0 },
      failed: { requests: 1, sent: 1, success: 0, failed: 1 },
      delivered: { requests: 1, sent: 1, success: 1, failed: 0 },
    });
  });

  it('the CSV holds the same rows, grouped by outcome', async () => {
    const response = await fetch(`${stack().url}/api/reports/daily?from=${day}&to=${day}&by=outcome&format=csv`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(','));
    const at = (name: string) => header!.indexOf(name);
    expect(Object.fromEntries(rows.map((row) => [row[at('group')], Number(row[at('requests')])]))).toEqual({ delivered: 1, failed: 1, pending: 1 });
  });

  it('the late sweep moves the pending message to expired', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const swept = await postJson(`${stack().url}/api/admin/late-sweep`, '{}', { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' });
    expect(swept.status).toBe(200);
    expect(await report()).toEqual({
      expired: { requests: 1, sent: 1, success: 0, failed: 0 },
      failed: { requests: 1, sent: 1, success: 0, failed: 1 },
      delivered: { requests: 1, sent: 1, success: 1, failed: 0 },
    });
  });
});
