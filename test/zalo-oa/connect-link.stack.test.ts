/**
 * Connecting an OA needs a link its tenant issued (issue 22 finding 12): `/zalo/oa-connect` without one (the
 * old `?app_id=` form) or with a forged one is refused with nothing written, so a stranger can no longer
 * attach an OA to any tenant's app; a link is issued only by the app's own tenant (its key, or the admin key
 * for it) and starts one connection.
 */
import { describe, expect, it } from 'vitest';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { documentClient, useStack } from '../support/stack';
import { call, onboard, TENANT_ENV } from '../tenants/admin-client';
import { scanAll } from '../zalo/client';
import { browserGet, connectLink } from './flow';

const stack = useStack({
  env: { ...TENANT_ENV, ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: 'test-app-secret' }), ZALO_STATE_SECRET: 'test-state-secret' },
  aggregator: false,
});

const flows = async () => (await scanAll(documentClient(stack().endpoint), stack().tables.Messages)).filter((item) => String(item.pk).startsWith('OAFLOW#'));

describe('OA connection links', () => {
  it('/zalo/oa-connect without a link, or with a forged one, is refused (403): no cookie, no redirect, nothing stored', async () => {
    for (const path of [`/zalo/oa-connect?app_id=${ZALO_FIXTURE_APP_ID}`, '/zalo/oa-connect', '/zalo/oa-connect?link=eyJ0IjoiZGVmYXVsdCJ9.forged']) {
      const answer = await browserGet(stack(), path);
      expect([answer.status, answer.setCookie, answer.location], path).toEqual([403, null, null]);
    }
    const issued = new URL(await connectLink(stack()), stack().url);
    const [payload] = issued.searchParams.get('link')!.split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), t: 'other' })).toString('base64url');
    expect((await browserGet(stack(), `/zalo/oa-connect?link=${altered}.${issued.searchParams.get('link')!.split('.')[1]}`)).status).toBe(403);
    expect(await flows()).toEqual([]);
  });

  it('a link issued by the app\'s tenant starts one connection: the second use is refused', async () => {
    const link = await connectLink(stack());
    const first = await browserGet(stack(), link);
    expect(first.status).toBe(302);
    expect(first.setCookie).toMatch(/^zalo_oa_flow=/);
    const second = await browserGet(stack(), link);
    expect([second.status, second.setCookie]).toEqual([403, null]);
    expect(await flows()).toHaveLength(1);
  });

  it('another tenant\'s key gets no link for the app (404); the admin key gets one for the app\'s own tenant', async () => {
    const acme = await onboard(stack(), 'acme');
    const refused = await call(stack(), 'POST', '/api/zalo/oa-connect-links', { key: acme.key, body: { appId: ZALO_FIXTURE_APP_ID } });
    expect(refused).toMatchObject({ status: 404, body: { error: { field: 'appId' } } });
    const forDefault = await call<{ url: string; expiresAt: string }>(stack(), 'POST', '/api/zalo/oa-connect-links?tenant=default', { body: { appId: ZALO_FIXTURE_APP_ID } });
    expect(forDefault.status).toBe(201);
    expect(forDefault.body.url).toMatch(/^http:\/\/localhost:\d+\/zalo\/oa-connect\?link=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(forDefault.body.expiresAt) - Date.now()).toBeGreaterThan(71 * 3_600_000);
  });
});
