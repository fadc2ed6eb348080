/**
 * Messages in the browser: search by phone (any spelling) finds the message, and its page shows every
 * callback in the order received, with the decoded error described, the outcome beside eSMS's status, and
 * the raw request one click away.
 */
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { API_KEY, esmsUrl, getJson, useStack } from '../support/stack';
import { openConsole, useBrowser } from './browser';

// The aggregator runs: it writes the phone index the search reads.
const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

const SMSID = 'c0a50e7e1e5a4b0c9d8e7f6a5b4c3d2e205';
const callback = (status: number, extra = '') =>
  `SMSID=${SMSID}&SendFailed=${status === 4 ? 1 : 0}&SendStatus=${status}&SendSuccess=${status === 5 ? 1 : 0}&TotalPrice=850.0000&TotalReceiver=1&TotalSent=1&RequestId=req-console-1&TypeId=2&telcoid=3&phonenumber=0912000111${extra}`;
const ZNS_114 = `SMSID=c0a50e7e1e5a4b0c9d8e7f6a5b4c3d2f114&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0912000222&partnerids=&error_info=%22{%5C%22error%5C%22%3A-114%2C%5C%22message%5C%22%3A%5C%22User%20is%20inactive%5C%22}%22&oaid=1397492183140006179&tempid=2056446`;

describe('console: messages', () => {
  it('finds a message by phone in another spelling and shows every callback in the order received', async () => {
    // Pending → waiting → sent to telco → delivered, one request at a time so the receive order is known.
    for (const status of [1, 2, 7, 5]) expect((await getJson(esmsUrl(stack(), 'sms', callback(status)))).status).toBe(200);
    await stack().poller!.drain();
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { lang: 'en' });
    await page.fill('input[name="phone"]', '+84 912 000 111');
    await page.press('input[name="phone"]', 'Enter');
    await page.click(`a[href="#/message/${SMSID}"]`);
    await page.waitForSelector('ol.timeline li.callback');
    const timeline = await page.$$eval('ol.timeline li.callback', (items) => items.map((item) => ({
      at: item.getAttribute('data-at'), status: item.querySelector('strong')?.getAttribute('data-status'), text: item.querySelector('strong')?.textContent,
    })));
    // Each status in the UI's language, never the API's code.
    expect(timeline.map((entry) => entry.text)).toEqual(['Pending approval', 'Waiting', 'Sent to the carrier', 'Sent']);
    expect(timeline.map((entry) => entry.at)).toEqual([...timeline.map((entry) => entry.at)].sort());
    expect(timeline.every((entry) => entry.at?.endsWith('+07:00'))).toBe(true);
    // The page shows what the API says, in the same order.
    const api = await getJson<{ message: { recipients: Array<{ history: Array<{ statusName: string; receivedAt: string }> }> } }>(`${stack().url}/api/esms/messages/${SMSID}`, { authorization: `Bearer ${API_KEY}` });
    expect(timeline.map((entry) => entry.at)).toEqual(api.body.message.recipients[0]!.history.map((entry) => entry.receivedAt));
    expect(timeline.map((entry) => entry.status)).toEqual(api.body.message.recipients[0]!.history.map((entry) => entry.statusName));
    // Channel, telco and totals labelled in words, not codes or a bare "1 / 1 / 1 / 0".
    expect(await page.textContent('dd[data-field="channel"]')).toBe('Customer-care SMS (TypeId 2)');
    expect(await page.textContent('dd[data-field="telco"]')).toBe('VinaPhone');
    expect(await page.textContent('dd[data-field="totals"]')).toBe('Receivers 1 · Sent 1 · Success 1 · Failed 0');
    // The raw request is one click away.
    await page.click('ol.timeline li.callback:first-child summary');
    expect(await page.textContent('ol.timeline li.callback:first-child pre.raw')).toBe(callback(1));
    expect(problems).toEqual([]);
  });

  it('opens a message by SMSID and describes its decoded Zalo error code in Vietnamese by default', async () => {
    expect((await getJson(esmsUrl(stack(), 'zns', ZNS_114))).status).toBe(200);
    const { page, problems } = await openConsole(browser(), stack(), API_KEY);
    await page.fill('input[name="smsId"]', 'c0a50e7e1e5a4b0c9d8e7f6a5b4c3d2f114');
    await page.press('input[name="smsId"]', 'Enter');
    await page.waitForSelector('ol.timeline li.callback');
    const error = await page.textContent('ol.timeline li.callback .err');
    expect(error).toContain('-114');
    expect(error).toContain('Người dùng không hoạt động');
    // eSMS processed it (status 5, `sent`), but it did not arrive: the outcome says so, with the code's words.
    expect(await page.textContent('dd[data-field="status"]')).toBe('Đã gửi');
    expect(await page.getAttribute('dd[data-field="status"]', 'data-status')).toBe('sent');
    expect(await page.textContent('dd[data-field="channel"]')).toBe('ZNS chăm sóc khách hàng (TypeId 25)');
    expect(await page.textContent('dd[data-field="totals"]')).toBe('Người nhận 1 · Đã gửi 0 · Thành công 0 · Thất bại 1');
    expect(await page.textContent('main')).not.toMatch(/\bsent\b|sent_to_telco|zns_cskh|mobifone/);
    const outcome = await page.textContent('dd[data-field="outcome"]');
    expect(outcome).toContain('Thất bại');
    expect(outcome).toContain('-114');
    expect(await page.getAttribute('table.recipients [data-outcome]', 'data-outcome')).toBe('failed');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(problems).toEqual([]);
  });

  it('searches a day typed dd/mm/yyyy by channel, status and outcome from choice lists: only the failed message, shown in English', async () => {
    expect((await getJson(esmsUrl(stack(), 'zns', ZNS_114))).status).toBe(200);
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { lang: 'en' });
    const [y, m, d] = vietnamDay(Date.now()).split('-');
    await page.fill('input[name="day"]', `${d}/${m}/${y}`);
    expect(await page.$$eval('select[name="channel"] option', (options) => options.map((o) => o.textContent))).toContain('ZNS customer care (25)');
    expect(await page.$$eval('select[name="status"] option', (options) => options.map((o) => o.textContent))).toContain('Sent to the carrier');
    await page.selectOption('select[name="channel"]', '25');
    await page.selectOption('select[name="status"]', '5');
    await page.selectOption('select[name="outcome"]', 'failed');
    await page.click('form.filters button[type="submit"]');
    await page.waitForSelector('table.results tbody tr');
    const rows = await page.$$eval('table.results tbody tr', (trs) => trs.map((tr) => ({
      smsId: tr.querySelector('a')?.textContent, outcome: tr.querySelector('[data-outcome]')?.getAttribute('data-outcome'), text: tr.querySelector('[data-outcome]')?.textContent,
    })));
    expect(rows.map((row) => row.smsId)).toEqual(['c0a50e7e1e5a4b0c9d8e7f6a5b4c3d2f114']);
    expect(rows[0]).toMatchObject({ outcome: 'failed', text: expect.stringContaining('Failed') });
    expect(rows[0]!.text).toContain('-114');
    expect(page.url()).toContain(`day=${y}-${m}-${d}`);
    expect(await page.textContent('table.results tbody tr')).toContain('ZNS customer care');
    expect(problems).toEqual([]);
  });
});
