/**
 * The Zalo page in the browser, per OA: the connection (token valid until, in Vietnam time), a follower who
 * followed, a template's status change, the daily quota and the events per day, each as the API says.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { zaloFixture } from '../support/fixtures';
import { fresh, postZalo } from '../zalo/client';
import { API_KEY, getJson, useStack } from '../support/stack';
import { openConsole, useBrowser } from './browser';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

const OA = '1397492183140006179';
const FOLLOWER = '5308693166941955879';

describe('console: Zalo', () => {
  it('shows an OA\'s connection, followers, templates, quota and events per day as the API has them', async () => {
    const now = Date.now();
    for (const [i, name] of ['follow', 'change_template_status', 'change_oa_daily_quota'].entries()) {
      expect((await postZalo(stack(), fresh(zaloFixture(name), now - 30_000 + i * 1000))).status).toBe(200);
    }
    const expires = Date.parse('2030-01-02T03:04:05Z');
    await buildTokenStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages).save({
      tenant: 'default', oaId: OA, appId: '3482178216594085616', access: 'sealed', refresh: 'sealed', accessExpiresAt: expires, connectedAt: now, refreshedAt: now,
    });
    await stack().poller!.drain();
    const state = await getJson<{ state: { templates: Array<{ templateId: string; status: string }>; dailyQuota: { value: number } } }>(`${stack().url}/api/oa/${OA}/state`, { authorization: `Bearer ${API_KEY}` });
    expect(state.status).toBe(200);
    expect(state.body.state.templates.map((t) => t.templateId)).toEqual(['2056446']);

    // The OA is suggested from the tenant's connected OAs: the page opens on it.
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: '#/zalo', lang: 'en' });
    await page.waitForSelector('ul.followers li');
    const text = (await page.textContent('main'))!;
    expect(text).toContain('Connected · Access valid until 02/01/2030 10:04:05 +07:00');
    expect(await page.textContent('ul.followers')).toContain(FOLLOWER);
    // The template's state in words (REJECT → Rejected), the OA picked from the tenant's OAs.
    expect(state.body.state.templates[0]!.status).toBe('REJECT');
    expect(text).toContain('2056446Rejected');
    expect(text).not.toContain('REJECT');
    expect(await page.$$eval('select[name="oa"] option', (options) => options.map((o) => o.getAttribute('value')))).toEqual([OA]);
    expect(await page.$eval('select[name="oa"]', (select) => (select as unknown as { value: string }).value)).toBe(OA);
    expect(text).toContain(`Daily quota: ${state.body.state.dailyQuota.value}`);
    // A day's events as a table: one column per family, named, with the day as dd/mm/yyyy.
    expect(await page.textContent('table.zalo-days th[data-family="follow"]')).toBe('Follows');
    expect(await page.textContent('table.zalo-days tbody tr td[data-family="follow"]')).toBe('1');
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    expect(await page.textContent('table.zalo-days tbody tr td:first-child')).toBe(day);
    expect(problems).toEqual([]);
  });
});
