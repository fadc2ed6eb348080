/**
 * Every list route pages with the contract's `limit`/`next`: each test fills a list larger than one page
 * through the real routes, walks every page with a small `limit`, and finds each item exactly once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { zaloFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, readApi, useStack } from '../support/stack';
import { call, TENANT_ENV } from '../tenants/admin-client';
import { fresh, postZalo, signedEnvelope } from '../zalo/client';

const stack = useStack({ env: TENANT_ENV });

/** Every page of `path` (JSON), following `next` until it is absent. */
const walk = async <T>(path: string, itemsOf: (body: T) => unknown[], admin = false, limit = 2) => {
  const pages: unknown[][] = [];
  let next: string | undefined;
  do {
    const url = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const answer = admin ? await call<T & { next?: string }>(stack(), 'GET', url) : await readApi<T & { next?: string }>(stack(), url);
    expect(answer.status).toBe(200);
    pages.push(itemsOf(answer.body));
    next = answer.body.next;
    expect(pages.length).toBeLessThan(50);
    if (next !== undefined) expect(pages.at(-1)!.length).toBe(limit);
  } while (next !== undefined);
  expect(pages.length).toBeGreaterThan(1);
  return pages.flat();
};

describe('every list pages with limit and next, nothing skipped or repeated', () => {
  it('GET /api/admin/tenants', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `page-${i}-${randomUUID().slice(0, 6)}`);
    for (const id of ids) expect((await call(stack(), 'POST', '/api/admin/tenants', { body: { id } })).status).toBe(201);
    const all = await walk<{ tenants: Array<{ id: string }> }>('/api/admin/tenants', (body) => body.tenants, true);
    expect(all.map((tenant) => (tenant as { id: string }).id).sort()).toEqual(ids.sort());
  });

  it('GET /api/reports/daily (JSON: eSMS rows, then Zalo rows) and format=csv with X-Next-Cursor', async () => {
    const run = `r${Date.now()}`;
    const sends: Array<[string, number]> = [['sms', 1], ['sms', 2], ['sms', 8], ['viber', 23], ['zns', 24], ['zns', 25]];
    for (const [i, [route, typeId]] of sends.entries()) {
      expect((await getJson(esmsUrl(stack(), route, callbackQuery({ smsId: `${run}-${i}`, typeId, status: 5, sent: 1, success: 1, telco: 1, phone: `090188848${i}` })))).status).toBe(200);
    }
    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const whole = await readApi<{ rows: Array<{ group: string }>; next?: string }>(stack(), `/api/reports/daily?from=${day}&by=channel&limit=1000`);
    expect(whole.body.next).toBeUndefined();
    expect(whole.body.rows.map((row) => row.group).sort()).toEqual(['1', '2', '23', '24', '25', '8']);
    const paged = await walk<{ rows: Array<{ group: string }> }>(`/api/reports/daily?from=${day}&by=channel`, (body) => body.rows);
    expect(paged).toEqual(whole.body.rows);

    const groups: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const response = await fetch(`${stack().url}/api/reports/daily?from=${day}&by=channel&format=csv&limit=4${next ? `&next=${encodeURIComponent(next)}` : ''}`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(response.status).toBe(200);
      const [, ...lines] = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
      groups.push(...lines.map((line) => line.split(',')[1]!));
      next = response.headers.get('x-next-cursor');
      pages += 1;
    } while (next !== null && pages < 10);
    expect(pages).toBe(2);
    expect(groups).toEqual(whole.body.rows.map((row) => row.group));
  });

  it('GET /api/zalo/messages/{msgId}: its events', async () => {
    const msgId = `m-${randomUUID()}`;
    const withMsgId = (name: string, at: number, headers?: Record<string, string>) => {
      const envelope = JSON.parse(fresh(zaloFixture(name), at).rawBody) as { message: Record<string, unknown> };
      return signedEnvelope({ ...envelope, message: { ...envelope.message, msg_id: msgId } }, headers);
    };
    const now = Date.now();
    expect((await postZalo(stack(), withMsgId('user_received_message', now - 3000, { 'Content-Type': 'application/json', 'X-ZEvent-Server': 'ZNS' }))).status).toBe(200);
    expect((await postZalo(stack(), withMsgId('user_feedback', now - 2000))).status).toBe(200);
    expect((await postZalo(stack(), withMsgId('user_feedback', now - 1000))).status).toBe(200);
    const whole = await readApi<{ message: { events: unknown[] }; next?: string }>(stack(), `/api/zalo/messages/${msgId}?limit=1000`);
    expect(whole.body.message.events.length).toBe(2); // the second rating of one message is a duplicate of the first
    expect(whole.body.next).toBeUndefined();
    const paged = await walk<{ message: { events: unknown[] } }>(`/api/zalo/messages/${msgId}`, (body) => body.message.events, false, 1);
    expect(paged).toEqual(whole.body.message.events);
  });

  it('GET /api/oa/{oaId}/state: its templates', async () => {
    const oaId = `oa-${randomUUID()}`;
    const envelope = JSON.parse(zaloFixture('change_template_status').rawBody) as Record<string, unknown>;
    const templateIds = ['t1', 't2', 't3', 't4', 't5'];
    for (const [i, templateId] of templateIds.entries()) {
      const event = { ...envelope, oa_id: oaId, template_id: templateId, timestamp: String(Date.now() - 10_000 + i) };
      expect((await postZalo(stack(), signedEnvelope(event))).status).toBe(200);
    }
    const paged = await walk<{ state: { templates: Array<{ templateId: string }> } }>(`/api/oa/${oaId}/state`, (body) => body.state.templates);
    expect(paged.map((template) => (template as { templateId: string }).templateId)).toEqual(templateIds);
  });
});
