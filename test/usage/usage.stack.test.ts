/**
 * GET /api/usage through the whole local stack: new callbacks (a single recipient's in its head, a batch's in
 * callback items), a duplicate, a malformed callback and a Zalo event move the tenant's month by exactly
 * that; the admin key without tenant= lists every tenant's month; a malformed month is a 400.
 */
import { describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { zaloFixture } from '../support/fixtures';
import { esmsUrl, getJson, readApi, useStack } from '../support/stack';
import { ADMIN_KEY, TENANT_ENV } from '../tenants/admin-client';
import { postZalo, signedEnvelope } from '../zalo/client';
import { vietnamDay } from '../../lib/time';

const stack = useStack({ env: TENANT_ENV, aggregator: { batchWindowMs: 50 } });
type Usage = Record<'callbacks' | 'duplicates' | 'rejected' | 'zaloEvents' | 'messages' | 'deliveries', number>;
const month = vietnamDay(Date.now()).slice(0, 7);
const usage = async () => {
  const answer = await readApi<{ month: string; tenant: string; usage: Usage }>(stack(), `/api/usage?month=${month}`);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ month, tenant: 'default' });
  return answer.body.usage;
};
const send = async (query: string) => expect((await getJson(esmsUrl(stack(), 'sms', query))).status).toBe(200);

describe('usage per Vietnam month', () => {
  it('counts new callbacks, duplicates, rejected requests, Zalo events and messages exactly', async () => {
    const before = await usage();
    const run = `use-${Date.now()}`;
    const single = callbackQuery({ smsId: `${run}-1`, status: 5, sent: 1, success: 1, phone: '0901000201' });
    await send(callbackQuery({ smsId: `${run}-1`, status: 7, sent: 1, phone: '0901000201' }));
    await send(single);
    await send(single); // a duplicate: stored once, counted apart
    for (const phone of ['0912000401', '0912000402', '0912000403']) await send(callbackQuery({ smsId: `${run}-b`, status: 5, receivers: 3, sent: 3, success: 3, phone }));
    expect((await getJson(esmsUrl(stack(), 'sms', 'SMSID=&SendStatus=5'))).status).toBe(400); // malformed: kept as rejected
    const follow = { ...JSON.parse(zaloFixture('follow').rawBody) as Record<string, unknown>, follower: { id: `55${Date.now()}` }, timestamp: String(Date.now()) };
    expect((await postZalo(stack(), signedEnvelope(follow))).status).toBe(200);
    await stack().poller!.drain();
    const after = await usage();
    expect({
      callbacks: after.callbacks - before.callbacks, duplicates: after.duplicates - before.duplicates, rejected: after.rejected - before.rejected,
      zaloEvents: after.zaloEvents - before.zaloEvents, messages: after.messages - before.messages, deliveries: after.deliveries - before.deliveries,
    }).toEqual({ callbacks: 5, duplicates: 1, rejected: 1, zaloEvents: 1, messages: 2, deliveries: 0 });

    const all = await getJson<{ month: string; tenants: Array<{ tenant: string } & Usage> }>(`${stack().url}/api/usage?month=${month}`, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(all.status).toBe(200);
    expect(all.body.tenants.find((row) => row.tenant === 'default')).toEqual({ tenant: 'default', ...after });
    const one = await getJson<{ usage: Usage }>(`${stack().url}/api/usage?month=${month}&tenant=default`, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(one.body.usage).toEqual(after);
  });

  it('a month that is not YYYY-MM is a 400 naming month; another month is its own', async () => {
    const bad = await readApi<{ error: { field: string } }>(stack(), '/api/usage?month=2026-13');
    expect([bad.status, bad.body.error.field]).toEqual([400, 'month']);
    expect((await readApi<{ usage: Usage }>(stack(), '/api/usage?month=2001-01')).body.usage).toEqual({ callbacks: 0, duplicates: 0, rejected: 0, zaloEvents: 0, messages: 0, deliveries: 0 });
  });
});
