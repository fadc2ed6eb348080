/**
 * The late-report policy on the real local stack: a message with no final status LATE_REPORT_HOURS
 * after it was first seen becomes `expired` (its own group in reports and its status in views); a later
 * non-final callback leaves it expired; a later final one wins, and the counters move exactly once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { getJson, esmsUrl, readApi, useStack } from '../support/stack';

const ADMIN_KEY = 'test-admin-key';
// 0.0005 h = 1.8 s: long enough to send, short enough to wait for.
const stack = useStack({ aggregator: { batchWindowMs: 50 }, env: { ADMIN_API_KEYS: ADMIN_KEY, LATE_REPORT_HOURS: '0.0005' } });

interface Row { group: string; requests: number; receivers: number }

const byStatus = async (): Promise<Record<string, number>> => {
  await stack().poller!.drain();
  const day = vietnamDay(Date.now());
  const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&by=status`);
  return Object.fromEntries(report.body.rows.map((row) => [row.group, row.requests]));
};

const sweep = async (headers: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}` }) => {
  const response = await fetch(`${stack().url}/api/admin/late-sweep`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, body: await response.json() as { checked: number; expired: number } };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('late-report sweep', () => {
  const smsId = `late-${randomUUID()}`;
  const seven = callbackQuery({ smsId, status: 7, sent: 1, price: '850.0000', telco: 1, phone: '0901888484' });

  it('expires a message left at 7 past LATE_REPORT_HOURS: status `expired` in the view and its own report group', async () => {
    expect((await getJson(esmsUrl(stack(), 'sms', seven))).status).toBe(200);
    expect(await byStatus()).toEqual({ 7: 1 });
    await pause(2500);
    expect((await sweep()).body).toMatchObject({ expired: 1 });
    const view = await readApi<{ message: { status: string; recipients: Array<{ status: string }> } }>(stack(), `/api/esms/messages/${smsId}`);
    expect(view.body.message.status).toBe('expired');
    expect(view.body.message.recipients.map((recipient) => recipient.status)).toEqual(['expired']);
    expect(await byStatus()).toEqual({ expired: 1 });
  });

  it('a second sweep changes nothing, and a later non-final callback leaves the message expired', async () => {
    expect((await sweep()).body).toMatchObject({ expired: 0 });
    const two = callbackQuery({ smsId, status: 2, price: '0.0000', telco: 1, phone: '0901888484' });
    expect((await getJson(esmsUrl(stack(), 'sms', two))).status).toBe(200);
    expect(await byStatus()).toEqual({ expired: 1 });
  });

  it('a final callback that arrives later wins, and the message moves from expired to 5 exactly once', async () => {
    const five = callbackQuery({ smsId, status: 5, sent: 1, success: 1, price: '850.0000', telco: 1, phone: '0901888484' });
    expect((await getJson(esmsUrl(stack(), 'sms', five))).status).toBe(200);
    expect(await byStatus()).toEqual({ 5: 1 });
    expect((await sweep()).body).toMatchObject({ expired: 0 });
  });

  it('refuses the sweep to a tenant key (403) and to no key (401)', async () => {
    expect((await sweep({ authorization: 'Bearer test-api-key' })).status).toBe(403);
    expect((await sweep({})).status).toBe(401);
  });
});
