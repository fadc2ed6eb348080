/**
 * The onboarding checklist in the browser turns green step by step as a new tenant follows the runbook
 * through the admin API: domain code, app registered before its key (Zalo's events kept pending), key set
 * (the kept events drained and counted), OA permission, eSMS token and its first callback.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { call, TENANT_ENV } from '../tenants/admin-client';
import { signed, postZalo } from '../zalo/client';
import { getJson, useStack } from '../support/stack';
import { openConsole, useBrowser } from './browser';

const stack = useStack({ env: { ...TENANT_ENV, REGISTRY_CACHE_SECONDS: '1' }, aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

const APP = '9300000000000000001';
const OA = '9400000000000000001';
const SECRET = 'acme-console-oa-secret';
const STEPS = ['domain', 'webhook', 'secret', 'permission', 'token', 'first-callback'] as const;

const follow = (user: string) => signed(JSON.stringify({
  app_id: APP, oa_id: OA, user_id_by_app: `8${user}`, event_name: 'follow', timestamp: String(Date.now()), follower: { id: user }, source: 'oa_profile',
}), undefined, SECRET);

const readChecklist = (page: Page) => page.$$eval('ol.checklist li', (items) => Object.fromEntries(items.map((li) => [li.getAttribute('data-step'), li.getAttribute('data-done') === 'true'])));

/** Refreshes the checklist until it shows `done` (caches upstream live a few seconds), then asserts it. */
const expectDone = async (page: Page, done: ReadonlyArray<typeof STEPS[number]>) => {
  const want = Object.fromEntries(STEPS.map((step) => [step, done.includes(step)]));
  let seen: Record<string, boolean> = {};
  for (const deadline = Date.now() + 12_000; Date.now() < deadline;) {
    // Each refresh is a round; wait for that round's answer to be drawn.
    const round = Number(await page.getAttribute('ol.checklist', 'data-round'));
    await page.click('button.refresh');
    await page.waitForSelector(`ol.checklist[data-round="${round + 1}"]`);
    seen = await readChecklist(page);
    if (JSON.stringify(seen) === JSON.stringify(want)) break;
    await page.waitForTimeout(300);
  }
  expect(seen).toEqual(want);
};

describe('console: onboarding checklist', () => {
  it('turns green step by step as the runbook is followed, each step with its evidence', async () => {
    expect((await call(stack(), 'POST', '/api/admin/tenants', { body: { id: 'acme', name: 'ACME' } })).status).toBe(201);
    const key = await call<{ key: string }>(stack(), 'POST', '/api/admin/tenants/acme/api-keys');
    const { page, problems } = await openConsole(browser(), stack(), key.body.key, { route: `#/onboarding?app=${APP}`, lang: 'en' });
    await page.waitForSelector('ol.checklist[data-round="0"] li');
    await expectDone(page, []);
    expect(await page.textContent('li[data-step="domain"]')).toContain('Next step');

    expect((await call(stack(), 'PUT', '/api/admin/tenants/acme/site-verification/acme-zalo-code-1')).status).toBeLessThan(300);
    await expectDone(page, ['domain']);
    expect(await page.textContent('li[data-step="domain"]')).toContain('acme-zalo-code-1');

    // The guide: the Webhook URL is changed before the key is sent; Zalo's events are kept, not counted.
    expect((await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${APP}`, { body: {} })).status).toBe(201);
    for (const user of ['5100000000000000001', '5100000000000000002']) expect((await postZalo(stack(), follow(user))).body).toMatchObject({ ok: true, pending: true });
    await expectDone(page, ['domain']);
    expect(await page.textContent('li[data-step="secret"]')).toContain('pending, 2 request(s) kept');

    expect((await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${APP}`, { body: { oaSecretKey: SECRET } })).status).toBe(200);
    await stack().poller!.drain();
    await expectDone(page, ['domain', 'webhook', 'secret']);
    expect(await page.textContent('li[data-step="webhook"]')).toContain('2 signed events');

    // The OA admin's consent (the OAuth flow itself: test/onboarding/oa-connect.test.ts) leaves a token pair.
    const now = Date.now();
    await buildTokenStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages).save({
      tenant: 'acme', oaId: OA, appId: APP, access: 'sealed-access', refresh: 'sealed-refresh', accessExpiresAt: now + 3_600_000, connectedAt: now, refreshedAt: now,
    });
    await expectDone(page, ['domain', 'webhook', 'secret', 'permission']);
    expect(await page.textContent('li[data-step="permission"]')).toContain(`OA ${OA}: valid until`);

    const token = await call<{ callbackUrls: Record<string, string> }>(stack(), 'POST', '/api/admin/tenants/acme/esms-tokens');
    const first = await getJson(`${token.body.callbackUrls.sms}?SMSID=acme-console-first&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=850.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0901000001`);
    expect(first.status).toBe(200);
    await stack().poller!.drain();
    await expectDone(page, [...STEPS]);
    expect(problems).toEqual([]);
  });
});
