/**
 * GET /api/esms/messages through the local HTTP stack on DynamoDB Local: by phone in any spelling (a
 * batch's every recipient included), by the partner's RequestId, by day with filters; newest first, and
 * cursors that neither skip nor repeat across 2,500 messages; `format=csv` with the same rows.
 */
import { describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { esmsFixture } from '../support/fixtures';
import { getJson, readApi, useStack, API_KEY } from '../support/stack';
import { ids, newestFirst, searchSteps, type Page } from './search-support';

// A short batching window: the phone index follows the stream (test/esms/phone-index.test.ts).
const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const { send, allPages, indexed } = searchSteps(stack);

describe('search by phone', () => {
  it('finds the same messages by 0901888484, 84901888484 and +84 901 888 484 (single and batch recipients)', async () => {
    const single = `ph-single-${Date.now()}`;
    const batch = `ph-batch-${Date.now()}`;
    await send('sms', callbackQuery({ smsId: single, status: 5, sent: 1, success: 1, phone: '0901888484' }));
    await send('sms', callbackQuery({ smsId: batch, status: 5, receivers: 3, sent: 3, success: 3, phone: '84901888484' }));
    await send('sms', callbackQuery({ smsId: batch, status: 5, receivers: 3, sent: 3, success: 3, phone: '0912000001' }));
    await indexed();
    for (const spelling of ['0901888484', '84901888484', '+84 901 888 484', '(+84) 901-888-484']) {
      const answer = await readApi<Page>(stack(), `/api/esms/messages?phone=${encodeURIComponent(spelling)}`);
      expect(answer.status, spelling).toBe(200);
      expect(ids(answer.body.messages).sort(), spelling).toEqual([batch, single].sort());
    }
    const other = await readApi<Page>(stack(), '/api/esms/messages?phone=0912000001');
    expect(ids(other.body.messages)).toEqual([batch]);
  });

  it('pages a phone\'s 250 messages newest first with nothing skipped or repeated', async () => {
    const phone = '0977000250';
    const sent = Array.from({ length: 250 }, (_, i) => `pp-${Date.now()}-${String(i).padStart(3, '0')}`);
    for (const smsId of sent) await send('zns', callbackQuery({ smsId, typeId: 25, status: 5, sent: 1, success: 1, phone }));
    await indexed();
    const { messages, pages } = await allPages(`phone=${phone}`, 40);
    expect(pages).toBe(7);
    expect(ids(messages).sort()).toEqual([...sent].sort());
    // Sent one after another: newest first is the reverse of the sending order.
    expect(ids(messages)).toEqual([...sent].reverse());
    expect(newestFirst(messages)).toBe(true);
  }, 60_000);
});

describe('search by RequestId', () => {
  it('finds the messages the partner sent with its own RequestId, and nothing for another', async () => {
    const requestId = `order-${Date.now()}`;
    const query = callbackQuery({ smsId: `rq-${requestId}`, status: 5, sent: 1, success: 1, phone: '0901000111' }).replace('RequestId=', `RequestId=${requestId}`);
    await send('sms', query);
    await send('sms', query.replace('SendStatus=5', 'SendStatus=7'));
    const found = await readApi<Page>(stack(), `/api/esms/messages?requestId=${requestId}`);
    expect(found.body.messages.map((message) => [message.smsId, message.requestId, message.status])).toEqual([[`rq-${requestId}`, requestId, 5]]);
    expect((await readApi<Page>(stack(), '/api/esms/messages?requestId=nobody-sent-this')).body.messages).toEqual([]);
  });
});

describe('search answers and refusals', () => {
  it('format=csv answers text/csv with a BOM, a header row, one row per message and the cursor in X-Next-Cursor', async () => {
    const phone = '0966000123';
    for (const i of [1, 2, 3]) await send('sms', callbackQuery({ smsId: `csv-${Date.now()}-${i}`, status: 5, sent: 1, success: 1, phone }));
    await indexed();
    const json = await readApi<Page>(stack(), `/api/esms/messages?phone=${phone}&limit=2`);
    const response = await fetch(`${stack().url}/api/esms/messages?phone=${phone}&limit=2&format=csv`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('x-next-cursor')).toBe(json.body.next);
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]!.startsWith('smsId,firstSeen,lastSeen,status,')).toBe(true);
    expect(lines.slice(1, 3).map((line) => line.split(',')[0])).toEqual(ids(json.body.messages));
    expect(lines[3]).toBe('');
  });

  it.each([
    ['', 'phone'], ['phone=0901888484&day=2026-11-30', 'phone'], ['day=2026-02-30', 'day'], ['day=2026-11-30&channel=99', 'channel'],
    ['day=2026-11-30&status=done', 'status'], ['phone=0901888484&status=5', 'day'], ['day=2026-11-30&format=xlsx', 'format'],
    ['day=2026-11-30&next=not-a-cursor', 'next'], [`phone=${'9'.repeat(65)}`, 'phone'],
  ])('?%s is a 400 naming %s', async (query, field) => {
    const answer = await readApi<{ error: { field: string } }>(stack(), `/api/esms/messages?${query}`);
    expect([answer.status, answer.body.error.field]).toEqual([400, field]);
  });

  it('a cursor of one phone cannot continue another phone\'s search', async () => {
    const phone = '0955000001';
    for (const i of [1, 2]) await send('sms', callbackQuery({ smsId: `cur-${Date.now()}-${i}`, status: 5, sent: 1, success: 1, phone }));
    await indexed();
    const first = await readApi<Page>(stack(), `/api/esms/messages?phone=${phone}&limit=1`);
    const other = await readApi<{ error: { field: string } }>(stack(), `/api/esms/messages?phone=0955000002&next=${first.body.next}`);
    expect([other.status, other.body.error.field]).toEqual([400, 'next']);
  });

  it('needs a key', async () => {
    expect((await getJson(`${stack().url}/api/esms/messages?phone=0901888484`)).status).toBe(401);
    expect(esmsFixture('cskh-status-5')).toContain('SMSID=');
  });
});
