/**
 * The Destinations page in the browser, in Vietnamese, on the local stack (which allows http://127.0.0.1
 * destinations): create one with a choice of event types, its secret shown once (copied by the button,
 * gone after closing and after a reload, never in the list), listed; a test event accepted (202) and the
 * attempts shown (the test's receiver answers 200: once a delivery function consumes the queue, the test
 * event's attempt is listed; until then the list is empty, without an error); a replay of a Vietnam-time
 * window sent as +07:00; a rotated secret shown once; disable; delete only after the confirmation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { buildDestinationStore } from '../../lib/store/destinations';
import { API_KEY, documentClient, getJson, useStack } from '../support/stack';
import { openConsole, tableCells, useBrowser } from './browser';

const stack = useStack({ aggregator: false });
const browser = useBrowser();

/** Whether a function consumes the delivery queue (then the test event reaches the receiver). */
const delivering = readdirSync(join(PROJECT_ROOT, 'functions')).filter((name) => name.endsWith('.json')).some((name) =>
  (JSON.parse(readFileSync(join(PROJECT_ROOT, 'functions', name), 'utf8')) as { trigger?: { sqs?: { queue?: string } } }).trigger?.sqs?.queue === 'DestinationDeliveries');

const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
let receiver: Server;
let receiverUrl = '';
beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const auth = { authorization: `Bearer ${API_KEY}` };

describe('console: destinations', () => {
  it('creates a destination with its secret shown once, tests it, lists attempts, replays, rotates, disables and deletes it', async () => {
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: '#/destinations', lang: 'vi' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack().url });
    await page.waitForSelector('p.no-destinations');
    expect(await page.textContent('header nav a[aria-current="page"]')).toBe('Điểm nhận sự kiện');

    // Create: URL, description, two event types from the choice list.
    await page.fill('form.create-destination input[name="url"]', receiverUrl);
    await page.fill('form.create-destination input[name="description"]', 'CRM chăm sóc khách hàng');
    await page.check('input[name="event"][value="esms.message.updated"]');
    await page.check('input[name="event"][value="zalo.message.status"]');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/destinations') && r.request().method() === 'POST');
    await page.click('form.create-destination button[type="submit"]');
    expect((await created).status()).toBe(201);

    // The secret, once, with the warning; the copy button puts exactly it on the clipboard.
    const secret = (await page.textContent('.secret code.secret-value'))!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(await page.textContent('.secret .warn')).toContain('chỉ hiển thị một lần');
    await page.click('.secret button.copy');
    await page.waitForSelector('.secret .copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);

    // Listed (never with its secret), in Vietnamese.
    await page.waitForSelector('table.destinations tbody tr');
    const [row] = await tableCells(page, 'table.destinations');
    expect(row!.slice(0, 4)).toEqual([receiverUrl, 'CRM chăm sóc khách hàng', 'esms.message.updated, zalo.message.status', 'Đang bật']);
    expect(row![4]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \+07:00$/);
    const listed = await getJson<{ destinations: Array<{ id: string; enabled: boolean }> }>(`${stack().url}/api/destinations`, auth);
    expect(listed.body.destinations).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const id = listed.body.destinations[0]!.id;

    // Closed, the secret is gone from the page, and a reload does not bring it back.
    await page.click('.secret button.secret-done');
    expect(await page.textContent('main')).not.toContain(secret);
    await page.reload();
    await page.waitForSelector('table.destinations tbody tr');
    expect(await page.textContent('main')).not.toContain(secret);
    expect(await page.$('.secret')).toBeNull();

    // Open it: a test event is accepted (202), and the attempts list loads without an error.
    await page.click(`table.destinations tr[data-id="${id}"] a`);
    await page.waitForSelector(`section.destination[data-id="${id}"]`);
    await page.waitForSelector('.attempts p.no-attempts');
    const tested = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}/test`));
    await page.click('button.send-test');
    const testAnswer = await tested;
    expect(testAnswer.status()).toBe(202);
    const { eventId } = (await testAnswer.json()) as { eventId: string };
    expect(await page.textContent('p.notice')).toBe(`Đã xếp hàng sự kiện thử ${eventId}.`);
    if (delivering) {
      // A delivery function consumes the queue: the receiver gets the event and the attempt is listed with its 200.
      await expect.poll(() => received.map((r) => r.headers['webhook-id']), { timeout: 20_000 }).toContain(eventId);
      await expect.poll(async () => {
        await page.click('button.refresh-attempts');
        return page.$$eval('table.attempts tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      }, { timeout: 20_000 }).toEqual([expect.stringContaining('HTTP 200')]);
      expect(await page.textContent(`table.attempts tr[data-event="${eventId}"]`)).toContain('destination.test');
    } else {
      // No delivery function on this branch yet: the event waits on the queue, the attempts are an empty list, not an error.
      await page.click('button.refresh-attempts');
      await page.waitForSelector('.attempts p.no-attempts');
      expect(await page.$('.attempts .error')).toBeNull();
      const attempts = await getJson<{ attempts: unknown[] }>(`${stack().url}/api/destinations/${id}/attempts`, auth);
      expect(attempts.body.attempts).toEqual([]);
    }

    // Replay of a Vietnam-time window: the inputs' values go out with +07:00.
    await page.fill('form.replay input[name="from"]', '2026-01-01T08:00');
    const to = await page.inputValue('form.replay input[name="to"]');
    // The window is also written out as the page writes times, whatever the browser's date picker looks like.
    const [toDay, toTime] = to.split('T') as [string, string];
    expect(await page.textContent('form.replay p.window')).toBe(`01/01/2026 08:00:00 +07:00 → ${toDay.split('-').reverse().join('/')} ${toTime}:00 +07:00`);
    const replayed = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}/replay`));
    await page.click('form.replay button[type="submit"]');
    const replayAnswer = await replayed;
    expect(JSON.parse(replayAnswer.request().postData()!)).toEqual({ from: '2026-01-01T08:00:00+07:00', to: `${to}:00+07:00` });
    // 2026-01-01 is beyond the 30 days events are kept: refused, and said so in Vietnamese.
    expect(replayAnswer.status()).toBe(400);
    expect(await page.textContent(`section.destination .error`)).toMatch(/^Dữ liệu không hợp lệ: /);
    const recent = new Date(Date.now() + 7 * 3_600_000 - 3_600_000).toISOString().slice(0, 16);
    await page.fill('form.replay input[name="from"]', recent);
    const replayedAgain = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}/replay`));
    await page.click('form.replay button[type="submit"]');
    expect((await replayedAgain).status()).toBe(202);
    expect(await page.textContent('p.notice')).toMatch(/^Đã xếp hàng \d+ sự kiện để gửi lại\.$/);

    // Rotate: a new secret, shown once, the old one named as still signing.
    const rotated = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}/rotate-secret`));
    await page.click('button.rotate');
    expect((await rotated).status()).toBe(200);
    const second = (await page.textContent('section.destination .secret code.secret-value'))!.trim();
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(secret);
    expect(await page.textContent('section.destination .secret')).toContain('Khóa cũ vẫn ký song song đến');
    await page.click('section.destination .secret button.secret-done');
    expect(await page.textContent('main')).not.toContain(second);

    // Disable: PATCH enabled=false; the page and the API agree; no test event can be sent.
    const patched = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}`) && r.request().method() === 'PATCH');
    await page.click('button.toggle');
    const patch = await patched;
    expect(patch.status()).toBe(200);
    expect(JSON.parse(patch.request().postData()!)).toEqual({ enabled: false });
    await page.waitForSelector('section.destination dd.state.bad');
    expect(await page.textContent('section.destination dd.state')).toBe('Đã tắt (thủ công)');
    expect(await page.isDisabled('button.send-test')).toBe(true);
    expect((await getJson<{ destination: { enabled: boolean } }>(`${stack().url}/api/destinations/${id}`, auth)).body.destination.enabled).toBe(false);

    // Delete asks first: cancel keeps it, confirming removes it.
    await page.click('button.delete');
    await page.click('button.cancel-delete');
    expect(await page.$('.confirm')).toBeNull();
    expect((await getJson(`${stack().url}/api/destinations/${id}`, auth)).status).toBe(200);
    await page.click('button.delete');
    expect(await page.textContent('.confirm p')).toContain('Xóa điểm nhận này?');
    const deleted = page.waitForResponse((r) => r.url().includes(`/api/destinations/${id}`) && r.request().method() === 'DELETE');
    await page.click('button.confirm-delete');
    expect((await deleted).status()).toBe(200);
    await page.waitForSelector('p.no-destinations');
    expect((await getJson(`${stack().url}/api/destinations/${id}`, auth)).status).toBe(404);

    // Vietnamese throughout: none of the English labels leaked.
    const text = (await page.textContent('main'))!;
    for (const english of ['Destination', 'Enabled', 'Disabled', 'Attempts', 'Replay', 'Delete', 'Events', 'Created']) expect(text).not.toContain(english);
    expect(problems).toEqual([]);
  });

  it('shows the attempts as the delivery log holds them, 20 a page, "more" following the cursor', async () => {
    const created = await fetch(`${stack().url}/api/destinations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl, description: 'paged' }) });
    const { id } = (await created.json()) as { id: string };
    // Written through the store the delivery function writes with: 24 answered 200, then one that gave up on a 500.
    const store = buildDestinationStore(documentClient(stack().endpoint), stack().tables.Messages);
    const base = Date.now() - 600_000;
    for (let i = 0; i < 24; i += 1) await store.addAttempt('default', id, { eventId: `evt_ok${String(i).padStart(3, '0')}`, type: 'esms.message.updated', at: base + i * 1000, attempt: 1, status: 200, durationMs: 40 + i, ok: true });
    await store.addAttempt('default', id, { eventId: 'evt_failed', type: 'zalo.message.status', at: base + 60_000, attempt: 8, status: 500, durationMs: 15, ok: false, failed: true });
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: `#/destinations/${id}`, lang: 'vi' });
    await page.waitForSelector('table.attempts tbody tr');
    const first = await tableCells(page, 'table.attempts');
    expect(first).toHaveLength(20);
    expect(first[0]!.slice(1)).toEqual(['zalo.message.status', 'evt_failed', '8', 'HTTP 500 · hết lượt thử', '15']);
    expect(await page.getAttribute('table.attempts tr[data-event="evt_failed"] td:nth-child(5)', 'class')).toBe('bad');
    expect(first[1]!.slice(1)).toEqual(['esms.message.updated', 'evt_ok023', '1', 'HTTP 200', '63']);
    await page.click('button.more-attempts');
    await expect.poll(async () => (await tableCells(page, 'table.attempts')).length).toBe(25);
    expect((await tableCells(page, 'table.attempts')).at(-1)!.slice(1, 3)).toEqual(['esms.message.updated', 'evt_ok000']);
    expect(await page.$('button.more-attempts')).toBeNull();
    expect(problems).toEqual([]);
    await store.remove('default', id);
  });

  it('reads in English on the switch', async () => {
    const created = await fetch(`${stack().url}/api/destinations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl }) });
    const { id } = (await created.json()) as { id: string };
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: `#/destinations/${id}`, lang: 'en' });
    await page.waitForSelector(`section.destination[data-id="${id}"] .attempts p.no-attempts`);
    expect(await page.textContent('header nav a[aria-current="page"]')).toBe('Destinations');
    const [row] = await tableCells(page, 'table.destinations');
    expect(row!.slice(0, 4)).toEqual([receiverUrl, '', 'All events', 'Enabled']);
    expect(await page.textContent('form.replay label')).toContain('Vietnam time, +07:00');
    expect(problems).toEqual([]);
  });
});
