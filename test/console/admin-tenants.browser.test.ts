/**
 * The admin's Tenants page: the list, one tenant's credentials (ids, created and last-used times, no secret), suspend and resume
 * (the tenant's own key gets 403 while suspended), and offboarding to the end in the bounded calls the API takes.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, call, onboard, TENANT_ENV } from '../tenants/admin-client';
import { useStack } from '../support/stack';
import { openConsole, tableCells, useBrowser } from './browser';

// The counters wait OFFBOARD_SETTLE_SECONDS for the stream after the messages; 2 s keeps the page's loop short.
const stack = useStack({ env: { ...TENANT_ENV, REGISTRY_CACHE_SECONDS: '1', OFFBOARD_SETTLE_SECONDS: '2' }, aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

describe('console: tenants (admin)', () => {
  it('lists the tenants, shows one\'s credentials, suspends and resumes it, and offboards it to the end', async () => {
    const acme = await onboard(stack(), 'acme');
    await onboard(stack(), 'beta');
    const own = async () => (await call(stack(), 'GET', '/api/esms/messages?day=2026-12-01', { key: acme.key })).status;
    expect(await own()).toBe(200);

    const { page, problems } = await openConsole(browser(), stack(), ADMIN_KEY, { route: '#/tenants', lang: 'vi' });
    await page.click('nav a:has-text("Đối tác")');
    await page.waitForSelector('table.tenants tr[data-id="beta"]');
    expect((await tableCells(page, 'table.tenants')).map((row) => row[0])).toEqual(expect.arrayContaining(['acme', 'beta']));

    await page.click('table.tenants a:has-text("acme")');
    await page.waitForSelector('table.credentials.api-keys tbody tr');
    const keys = await tableCells(page, 'table.credentials.api-keys');
    const tokens = await tableCells(page, 'table.credentials.esms-tokens');
    expect([keys.length, tokens.length]).toEqual([1, 1]);
    // Last used: the key read messages above (a time); the token never called back (not recorded).
    expect(keys[0]![2]).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(tokens[0]![2]).toBe('chưa ghi nhận');
    const text = (await page.textContent('main'))!;
    expect(text).toContain('Đang hoạt động');
    expect(text).not.toContain(acme.key);

    await page.click('button.suspend');
    await page.waitForSelector('.badge.bad:has-text("Tạm ngưng")');
    expect(await own()).toBe(403);
    await page.click('button.resume');
    await page.waitForSelector('.badge.ok');
    expect(await own()).toBe(200);

    expect(await page.isDisabled('form.offboard button[type="submit"]')).toBe(true);
    await page.fill('form.offboard input[name="confirm"]', 'acme');
    await page.click('form.offboard button[type="submit"]');
    await page.waitForSelector('form.offboard .progress:has-text("Đã xóa xong")', { timeout: 90_000 });
    expect(await own()).toBe(401);

    await page.click('a:has-text("← Đối tác")');
    await page.waitForSelector('table.tenants tr[data-id="beta"]');
    expect(await page.$('table.tenants tr[data-id="acme"]')).toBeNull();
    expect(problems).toEqual([]);
  }, 180_000);
});
