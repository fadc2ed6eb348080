/**
 * `npm run console:screenshots`: the console's pages on seeded data (the default tenant's day of traffic, two more
 * tenants with a batch each), in Vietnamese at desktop and phone width and in English at desktop width, written
 * to docs/console/<page>-<desktop|phone>.png and <page>-desktop-en.png (docs/console.md shows them). Starts its
 * own in-memory stack.
 */
import '../../infra/local/quiet';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildConsole } from '../../console/build';
import { localClient } from '../../infra/local/dynamodb';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { startStack } from '../../infra/local/stack';
import { buildDestinationStore } from '../../lib/store/destinations';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { vietnamDay } from '../../lib/time';
import { zaloFixture } from '../support/fixtures';
import { DESKTOP, launch, PHONE } from './chromium';
import { ADMIN_KEY, call, onboard } from '../tenants/admin-client';
import { SEED_PHONE, seedConsole, seedTenantBatch } from './seed';

const OUT = join(PROJECT_ROOT, 'docs', 'console');
const KEY = 'screenshot-key';
const TOKEN = 'screenshot-token';

const main = async () => {
  await buildConsole();
  const stack = await startStack({
    dataDir: ':memory:', fakeEsms: false, fakeZalo: false, aggregator: { batchWindowMs: 50 },
    env: { API_KEYS: KEY, ADMIN_API_KEYS: ADMIN_KEY, ESMS_CALLBACK_TOKENS: TOKEN, ZALO_SITE_VERIFICATION: 'zalo-verify-code-1', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  const browser = await launch();
  try {
    const { day, smsIds } = await seedConsole(stack, TOKEN, KEY);
    const oaId = (JSON.parse(zaloFixture('follow').rawBody) as { oa_id: string }).oa_id;
    const now = Date.now();
    await buildTokenStore(DynamoDBDocumentClient.from(localClient(stack.endpoint)), stack.tables.Messages).save({
      tenant: 'default', oaId, appId: '3482178216594085616', access: 'sealed', refresh: 'sealed', accessExpiresAt: now + 90_000_000, connectedAt: now, refreshedAt: now,
    });
    // Two destinations, one opened.
    const destination = async (body: object) => {
      const answer = await fetch(`${stack.url}/api/destinations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return ((await answer.json()) as { id: string }).id;
    };
    const destinationId = await destination({ url: 'http://127.0.0.1:3009/crm/webhooks', description: 'CRM chăm sóc khách hàng', events: ['esms.message.updated', 'zalo.message.status'] });
    // Its attempt log as the delivery function writes it: two delivered, one retried after a 503.
    const attempts = buildDestinationStore(DynamoDBDocumentClient.from(localClient(stack.endpoint)), stack.tables.Messages);
    await attempts.addAttempt('default', destinationId, { eventId: 'evt_01JF8Z3K2M4N5P6Q7R8S9T0V1W', type: 'esms.message.updated', at: now - 300_000, attempt: 1, status: 200, durationMs: 38, ok: true });
    await attempts.addAttempt('default', destinationId, { eventId: 'evt_01JF8Z4A7B8C9D0E1F2G3H4J5K', type: 'zalo.message.status', at: now - 240_000, attempt: 1, status: 503, durationMs: 112, ok: false });
    await attempts.addAttempt('default', destinationId, { eventId: 'evt_01JF8Z4A7B8C9D0E1F2G3H4J5K', type: 'zalo.message.status', at: now - 235_000, attempt: 2, status: 200, durationMs: 41, ok: true });
    await destination({ url: 'http://localhost:3009/otp-fallback', description: 'OTP: chuyển kênh khi ZNS lỗi' });
    // Two partners besides the environment's own, each with a batch of its own (some failed, some pending).
    for (const [id, name, recipients] of [['nhakhoa-anbinh', 'Nha khoa An Bình', 300], ['shop-hoasen', 'Shop hoa Sen', 120]] as const) {
      const tenant = await onboard(stack, id);
      await call(stack, 'PATCH', `/api/admin/tenants/${id}`, { body: { name } });
      await seedTenantBatch(tenant.callbackUrls.zns!, `${id}-batch`, recipients);
    }
    // The default tenant's own ZNS batch: its -118 failures fill the Suppressions page.
    await seedTenantBatch(`${stack.url}/esms/${TOKEN}/zns`, 'cs-zns-batch', 60);
    await stack.poller?.drain();
    const from = vietnamDay(now - 3 * 86_400_000);
    const admin: Array<[string, string, string]> = [
      ['tenants', '#/tenants', 'table.tenants tbody tr'],
      ['tenant', '#/tenants/nhakhoa-anbinh', 'table.credentials.api-keys tbody tr'],
      ['usage', '#/usage', 'table.usage-tenants tbody tr'],
    ];
    const pages: Array<[string, string, string]> = [
      ['messages', `#/messages?phone=${SEED_PHONE}`, 'table.results tbody tr'],
      ['message', `#/message/${smsIds[0]}`, 'ol.timeline li'],
      ['reports', `#/reports?from=${from}&to=${day}&by=channel`, 'table.report tbody tr'],
      ['zalo', `#/zalo?oa=${oaId}`, 'ul.followers li'],
      ['rejected', `#/rejected?day=${day}`, 'table.rejected tbody tr'],
      ['destinations', `#/destinations/${destinationId}`, 'table.attempts tbody tr'],
      ['onboarding', '#/onboarding', 'ol.checklist li'],
      ['suppressions', '#/suppressions', 'table.suppressions tbody tr'],
    ];
    mkdirSync(OUT, { recursive: true });
    const shots = [['desktop', DESKTOP, 'vi', ''], ['desktop', DESKTOP, 'en', '-en'], ['phone', PHONE, 'vi', '']] as const;
    for (const [width, viewport, lang, suffix] of shots) {
      for (const [key, list] of [[KEY, pages], [ADMIN_KEY, admin]] as const) {
        const context = await browser.newContext({ viewport, locale: lang === 'vi' ? 'vi-VN' : 'en-GB', deviceScaleFactor: 1 });
        // Runs in the page, which has a localStorage (this file's types do not know the DOM).
        await context.addInitScript((chosen) => (globalThis as unknown as { localStorage: { setItem(name: string, value: string): void } }).localStorage.setItem('console.lang', chosen), lang);
        const page = await context.newPage();
        await page.goto(`${stack.url}/console`);
        await page.fill('input[name="key"]', key);
        await page.press('input[name="key"]', 'Enter');
        await page.waitForSelector('header nav');
        for (const [name, route, ready] of list) {
          await page.goto(`${stack.url}/console${route}`);
          await page.waitForSelector(ready, { timeout: 15_000 });
          const file = `${name}-${width}${suffix}.png`;
          await page.screenshot({ path: join(OUT, file), fullPage: width === 'desktop' });
          console.log(`docs/console/${file}`);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
