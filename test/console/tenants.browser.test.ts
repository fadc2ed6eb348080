/**
 * A tenant key never sees another tenant's data in any page of the console, and the admin key's tenant
 * switcher shows each tenant's own. Two tenants on one deployment, each with a message, a rejected request,
 * a site code and a Zalo app; beta's records are looked for through acme's key on every page.
 */
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { ADMIN_KEY, call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { getJson, useStack } from '../support/stack';
import { openConsole, tableCells, useBrowser } from './browser';

const stack = useStack({ env: { ...TENANT_ENV }, aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

const today = vietnamDay(Date.now());
const callback = (smsId: string, phone: string, price: string) =>
  `SMSID=${smsId}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=${price}&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=${phone}`;

describe('console: tenants', () => {
  let acme: Onboarded;
  let beta: Onboarded;

  it('a tenant key sees only its own tenant on every page', async () => {
    acme = await onboard(stack(), 'acme');
    beta = await onboard(stack(), 'beta');
    expect((await getJson(`${acme.callbackUrls.sms}?${callback('acme-msg-1', '0901000001', '100.0000')}`)).status).toBe(200);
    expect((await getJson(`${beta.callbackUrls.sms}?${callback('beta-msg-1', '0902000002', '777.0000')}`)).status).toBe(200);
    expect((await getJson(`${beta.callbackUrls.sms}?SMSID=beta-bad&SendStatus=9&TypeId=2`)).status).toBe(400);
    expect((await call(stack(), 'PUT', '/api/admin/tenants/beta/site-verification/beta-site-code')).status).toBeLessThan(300);
    expect((await call(stack(), 'PUT', '/api/admin/tenants/beta/zalo-apps/9500000000000000002', { body: {} })).status).toBe(201);
    await stack().poller!.drain();

    const { page, problems } = await openConsole(browser(), stack(), acme.key, { lang: 'en' });
    // Messages: beta's phone finds nothing, beta's SMSID is not found; acme's own is.
    await page.fill('input[name="phone"]', '0902000002');
    await page.press('input[name="phone"]', 'Enter');
    await page.waitForSelector('text=No messages found.');
    await page.fill('input[name="phone"]', '0901000001');
    await page.press('input[name="phone"]', 'Enter');
    await page.waitForSelector('a[href="#/message/acme-msg-1"]');
    await page.goto(`${stack().url}/console#/message/beta-msg-1`);
    expect(await page.textContent('main [role="alert"]')).toContain('no callback stored');

    // Reports: acme's one request and price only.
    await page.goto(`${stack().url}/console#/reports?from=${today}&to=${today}&by=channel`);
    await page.waitForSelector('table.report tbody tr');
    const rows = await tableCells(page, 'table.report');
    expect(rows).toHaveLength(1);
    expect(rows[0]![2]).toBe('1');
    expect(rows[0]!.join(' ')).not.toContain('777');

    // Rejected: beta's malformed callback is not listed.
    await page.goto(`${stack().url}/console#/rejected?day=${today}`);
    await page.waitForSelector('text=Nothing for this day.');

    // Onboarding: beta's site code and app do not show, even asked for by id.
    await page.goto(`${stack().url}/console#/onboarding?app=9500000000000000002`);
    await page.waitForSelector('ol.checklist li');
    const checklist = await page.textContent('ol.checklist');
    expect(checklist).not.toContain('beta-site-code');
    expect(checklist).not.toContain('9500000000000000002');
    expect(await page.getAttribute('li[data-step="domain"]', 'data-done')).toBe('false');
    expect(problems).toEqual([]);
  });

  it('the admin key switches tenants and each shows its own report', async () => {
    const { page } = await openConsole(browser(), stack(), ADMIN_KEY, { route: `#/reports?from=${today}&to=${today}&by=channel`, lang: 'en' });
    await page.waitForSelector('select[name="tenant"] option[value="beta"]', { state: 'attached' });
    await page.selectOption('select[name="tenant"]', 'acme');
    await page.waitForSelector('table.report tbody tr');
    expect((await tableCells(page, 'table.report'))[0]!.join(' ')).toContain('100');
    await page.selectOption('select[name="tenant"]', 'beta');
    await page.waitForSelector('table.report tbody td:has-text("777")');
    expect((await tableCells(page, 'table.report'))[0]!.join(' ')).not.toContain('100 ₫');
  });
});
