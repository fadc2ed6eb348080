/**
 * The Suppressions and Usage pages on a partner's real callbacks: a ZNS -118 suppresses its phone, a later Zalo
 * success clears another's; the page looks a phone up in another spelling and clears one by hand (the API then
 * has it no more); Usage shows the month's callbacks, duplicates and rejected requests, and the admin sees
 * every tenant's month.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { getJson, useStack } from '../support/stack';
import { openConsole, tableCells, useBrowser } from './browser';

const stack = useStack({ env: { ...TENANT_ENV }, aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

const NO_ZALO = '&error_info=%7B%22error%22%3A-118%2C%22message%22%3A%22Zalo%20account%20not%20existed%22%7D';
const DELIVERED = '&error_info=%7B%22error%22%3A0%2C%22message%22%3A%22Success%22%7D';
const zns = (smsId: string, phone: string, ok: boolean) =>
  `SMSID=${smsId}&SendStatus=5&TypeId=25&TotalReceiver=1&TotalSent=1&SendSuccess=${ok ? 1 : 0}&SendFailed=${ok ? 0 : 1}&TotalPrice=${ok ? '300.0000' : '0'}&telcoid=1&phonenumber=${phone}&oaid=4368496045530136633&tempid=312881${ok ? DELIVERED : NO_ZALO}`;

describe('console: suppressions and usage', () => {
  let acme: Onboarded;

  it('lists the suppressed phones with their reason, finds one in another spelling, and clears one by hand', async () => {
    acme = await onboard(stack(), 'acme');
    await onboard(stack(), 'beta');
    for (const query of [zns('sup-a-1', '0901000111', false), zns('sup-b-1', '0901000222', false)]) expect((await getJson(`${acme.callbackUrls.zns}?${query}`)).status).toBe(200);
    await stack().poller!.drain();
    expect((await getJson(`${acme.callbackUrls.zns}?${zns('sup-b-2', '0901000222', true)}`)).status).toBe(200);
    expect((await getJson(`${acme.callbackUrls.zns}?${zns('sup-b-2', '0901000222', true)}`)).body).toMatchObject({ duplicate: true });
    expect((await getJson(`${acme.callbackUrls.zns}?SMSID=bad&SendStatus=9&TypeId=25`)).status).toBe(400);
    await stack().poller!.drain();

    const { page, problems } = await openConsole(browser(), stack(), acme.key, { route: '#/suppressions', lang: 'vi' });
    await page.waitForSelector('table.suppressions tbody tr');
    const rows = await tableCells(page, 'table.suppressions');
    expect(rows.map((row) => row[0])).toEqual(['84901000111']);
    expect(rows[0]![3]).toBe('-118');
    expect(rows[0]![5]).toBe('sup-a-1');

    await page.fill('input[name="lookup"]', '+84 901 000 111');
    await page.click('button:has-text("Tra")');
    await page.waitForSelector('table.suppression-found tbody tr');
    await page.fill('input[name="lookup"]', '0901000222');
    await page.click('button:has-text("Tra")');
    await page.waitForSelector('.lookup-result:has-text("không bị chặn")');

    await page.click('table.suppressions button.clear');
    await page.waitForSelector('text=Chưa có số nào bị chặn gửi.');
    expect((await call(stack(), 'GET', '/api/suppressions/0901000111', { key: acme.key })).status).toBe(404);
    expect(problems).toEqual([]);
  }, 180_000);

  it('shows the month\'s usage labelled, and the admin every tenant\'s', async () => {
    const { page, problems } = await openConsole(browser(), stack(), acme.key, { route: '#/usage', lang: 'en' });
    await page.waitForSelector('dl.usage');
    const figure = async (name: string) => (await page.textContent(`dl.usage [data-figure="${name}"] dd.num`))!.trim();
    expect(await figure('callbacks')).toBe('3');
    expect(await figure('duplicates')).toBe('1');
    expect(await figure('rejected')).toBe('1');
    expect(await page.textContent(`dl.usage [data-figure="callbacks"] dt`)).toBe('New eSMS callbacks');

    const admin = await openConsole(browser(), stack(), ADMIN_KEY, { route: '#/usage', lang: 'en' });
    await admin.page.waitForSelector('table.usage-tenants tr[data-tenant="beta"]');
    const acmeRow = (await tableCells(admin.page, 'table.usage-tenants')).find((row) => row[0] === 'acme')!;
    expect(acmeRow.slice(1, 4)).toEqual(['3', '1', '1']);
    expect([...problems, ...admin.problems]).toEqual([]);
  }, 120_000);
});
