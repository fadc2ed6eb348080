/**
 * DELETE /api/recipients/{phone} through the local HTTP stack on DynamoDB Local: after it, no item of the
 * tenant holds the number in any spelling (the table is scanned), the other tenant's items are untouched,
 * the reports are what they were (the aggregator saw the rewrites and counted nothing), and a phone in
 * many messages is erased in bounded calls that a rerun completes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { erasedPhone, eraseRecipient } from '../../lib/esms/erasure';
import { buildErasureProgressStore } from '../../lib/store/erasure-progress';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import { buildEsmsEraser, buildRejectedEraser } from '../../lib/store/esms-erasure';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { buildRejectedStore } from '../../lib/store/rejected';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { scanAll } from '../support/scan-all';
import { documentClient, esmsUrl, getJson, readApi, useStack, API_KEY } from '../support/stack';

// A short batching window: the phone index erasure reads is written by the aggregator from the stream.
const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const doc = () => (docs[0] ??= documentClient(stack().endpoint));
const docs: Array<ReturnType<typeof documentClient>> = [];
afterAll(() => docs.forEach((d) => d.destroy()));

/** Every spelling of 0901888484 contains its national significant number. */
const NSN = '901888484';

const scan = () => scanAll(doc(), stack().tables.Messages);
const holding = (items: Array<Record<string, unknown>>, tenant: string, text: string) =>
  items.filter((item) => String(item.pk).startsWith(`T#${tenant}#`) && JSON.stringify(item).includes(text));

const send = async (route: string, query: string, status = 200) => expect((await getJson(esmsUrl(stack(), route, query))).status).toBe(status);
const erase = (phone: string) => fetch(`${stack().url}/api/recipients/${encodeURIComponent(phone)}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } })
  .then(async (response) => ({ status: response.status, body: await response.json() as { ok: boolean; changed: number; incomplete?: boolean } }));

const reports = async () => {
  await stack().poller!.drain();
  const day = vietnamDay(Date.now());
  return Promise.all(['channel', 'status', 'telco', 'oa', 'template'].map(async (by) => (await readApi(stack(), `/api/reports/daily?from=${day}&by=${by}`)).body));
};

describe('DELETE /api/recipients/{phone}', () => {
  it('erases the number from heads, callbacks, raw queries, the index and rejected requests of the tenant only, keeping the reports', async () => {
    const run = Date.now();
    const single = `er-single-${run}`;
    const batch = `er-batch-${run}`;
    const other = `er-other-${run}`;
    await send('zns', callbackQuery({ smsId: single, typeId: 25, status: 7, sent: 1, price: '300.0000', phone: '0901888484', oa: 'oa-1', template: 't-1' }));
    await send('zns', callbackQuery({ smsId: single, typeId: 25, status: 5, sent: 1, success: 1, price: '300.0000', phone: '0901888484', oa: 'oa-1', template: 't-1' }));
    // The batch's winning callback (the head's `ow`) is the erased phone's own final.
    for (const phone of ['84901888484', '0912000002', '0912000003']) {
      await send('sms', callbackQuery({ smsId: batch, status: 5, receivers: 3, sent: 3, success: 3, price: '2550.0000', phone }));
      await send('sms', callbackQuery({ smsId: batch, status: 7, receivers: 3, sent: 3, price: '2550.0000', phone }));
    }
    await send('sms', callbackQuery({ smsId: other, status: 5, sent: 1, success: 1, phone: '0912345678' }));
    await send('sms', `${callbackQuery({ smsId: `er-bad-${run}`, status: 5, phone: '0901888484' })}&TotalSent=x`, 400);
    // The other tenant, written through the same adapters (its token would come from the registry).
    const acme = buildEsmsStore(doc(), stack().tables.Messages);
    const raw = callbackQuery({ smsId: single, status: 5, sent: 1, success: 1, phone: '0901888484' });
    await acme.storeCallback({ tenant: 'acme', ...parseCallbackWithIdentity(raw), raw, route: 'sms', receivedAt: Date.now() });
    await buildRejectedStore(doc(), stack().tables.Messages, 30).add({ tenant: 'acme', source: 'esms', route: 'sms', status: 400, field: 'TotalSent', reason: 'x', raw, receivedAt: Date.now() });

    const before = await reports();
    const stored = await scan();
    expect(holding(stored, 'default', NSN).length).toBeGreaterThanOrEqual(6);
    const acmeBefore = holding(stored, 'acme', NSN);
    expect(acmeBefore.map((item) => item.kind).sort()).toEqual(['esms', 'esms-ph', 'rejected']);

    const answer = await erase('+84 901 888 484');
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
    expect(answer.body.incomplete).toBeUndefined();
    // Each record that held the number is changed once: the index items, the single message's head, the
    // batch's callback items (re-keyed), the rejected request; whether the batch head holds it depends on
    // which callback won its `ow`.
    expect(answer.body.changed).toBe(holding(stored, 'default', NSN).length);

    // What the aggregator does with the erasure's own records (re-keyed callback items) recreates nothing.
    await stack().poller!.drain();
    const after = await scan();
    expect(holding(after, 'default', NSN)).toEqual([]);
    expect(holding(after, 'acme', NSN)).toEqual(acmeBefore);
    expect(holding(after, 'default', '0912000002').length).toBeGreaterThan(0);
    expect(holding(after, 'default', '0912345678').length).toBeGreaterThan(0);
    expect(await reports()).toEqual(before);

    const view = await readApi<{ message: { status: number; totals: { sent: number }; recipients: Array<{ phone: string; status: number }> } }>(stack(), `/api/esms/messages/${batch}`);
    expect(view.body.message.status).toBe(5);
    expect(view.body.message.recipients.map((r) => [r.phone, r.status]).sort()).toEqual([['0912000002', 5], ['0912000003', 5], ['erased', 5]]);
    expect((await readApi<{ messages: unknown[] }>(stack(), '/api/esms/messages?phone=0901888484')).body.messages).toEqual([]);
    expect((await erase('0901888484')).body).toEqual({ ok: true, changed: 0 });
  }, 60_000);

  it('a phone in 400 messages is erased in calls bounded by the budget, each rerun carrying on until none is left', async () => {
    const phone = '0977123456';
    const store = buildEsmsStore(doc(), stack().tables.Messages);
    const run = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < 400) {
        const i = next++;
        const raw = callbackQuery({ smsId: `many-${run}-${i}`, status: 5, sent: 1, success: 1, phone });
        await store.storeCallback({ tenant: 'default', ...parseCallbackWithIdentity(raw), raw, route: 'sms', receivedAt: run + i });
      }
    }));
    await stack().poller!.drain();
    const erasers = [buildEsmsEraser(doc(), stack().tables.Messages, erasedPhone), buildRejectedEraser(doc(), stack().tables.Messages, 32)];
    const progress = buildErasureProgressStore(doc(), stack().tables.Messages);
    const calls: Array<{ changed: number; complete: boolean; ms: number }> = [];
    let total = 0;
    do {
      const started = Date.now();
      const result = await eraseRecipient(erasers, progress, 'default', erasedPhone('84977123456'), { deadline: started + 1000, now: Date.now });
      calls.push({ ...result, ms: Date.now() - started });
      total += result.changed;
    } while (!calls.at(-1)!.complete && calls.length < 200);
    console.log(`erasure of a phone in 400 messages: ${calls.length} calls of ≤ 1 s budget, ${total} records changed, longest call ${Math.max(...calls.map((c) => c.ms))} ms`);
    expect(calls.at(-1)!.complete).toBe(true);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(0, -1).every((call) => !call.complete && call.changed > 0)).toBe(true);
    expect(total).toBe(800);
    expect(holding(await scan(), 'default', '977123456')).toEqual([]);
  }, 150_000);

  it('refuses a request without a key', async () => {
    const response = await fetch(`${stack().url}/api/recipients/0901888484`, { method: 'DELETE' });
    expect(response.status).toBe(401);
  });
});
