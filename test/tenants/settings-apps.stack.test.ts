/**
 * Zalo apps of the settings (`ZALO_APPS`, tenant `default`) and the registry (issue 22 finding 19):
 * - an app of the settings with an empty key is pending like a registry app without one: its requests are
 *   answered 200 pending and kept (they got 401 and were lost), and once its key is in the settings (an SSM
 *   update) the admin drain verifies and ingests them for `default`;
 * - an app id the settings configure cannot also be registered to a tenant (its events would still go to
 *   `default`): 409.
 */
import { describe, expect, it } from 'vitest';
import { applySecret } from '../../lib/config/settings';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET } from '../support/fixtures';
import { API_KEY, useStack } from '../support/stack';
import { postZalo, signed } from '../zalo/client';
import { call, onboard, TENANT_ENV } from './admin-client';

const SETTINGS_APP = '9800000000000000001';
const OA = '9800000000000000777';
const KEY = 'settings-app-oa-secret';
const stack = useStack({ env: { ...TENANT_ENV, ZALO_APPS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: ZALO_FIXTURE_SECRET, [SETTINGS_APP]: '' }) }, aggregator: false });

const text = (at: number, msgId: string) => JSON.stringify({
  app_id: SETTINGS_APP, sender: { id: '5800000000000000001' }, recipient: { id: OA }, event_name: 'user_send_text',
  message: { text: 'hello', msg_id: msgId }, timestamp: String(at),
});

describe('apps of the settings', () => {
  it('an app with an empty key in ZALO_APPS keeps its requests (200 pending), and the drain ingests them once its key is set', async () => {
    const at = Date.now() - 60_000;
    for (let i = 0; i < 3; i += 1) {
      expect(await postZalo(stack(), signed(text(at + i, `setmsg0000000000${i}`), undefined, KEY))).toEqual({ status: 200, body: { ok: true, pending: true } });
    }
    expect((await postZalo(stack(), signed(text(at + 9, 'setmsgforged000001'), undefined, 'wrong-key'))).status).toBe(200);
    expect((await call(stack(), 'POST', `/api/admin/tenants/default/zalo-apps/${SETTINGS_APP}/drain`)).status).toBe(409);
    // The key arrives through SSM: the functions apply it as they apply any refreshed secret.
    applySecret('ZALO_APPS', JSON.stringify({ [ZALO_FIXTURE_APP_ID]: ZALO_FIXTURE_SECRET, [SETTINGS_APP]: KEY }));
    const drained = await call(stack(), 'POST', `/api/admin/tenants/default/zalo-apps/${SETTINGS_APP}/drain`);
    expect(drained).toMatchObject({ status: 200, body: { drain: { ingested: 3, discarded: 1, incomplete: false } } });
    const message = await call(stack(), 'GET', '/api/zalo/messages/setmsg00000000000', { key: API_KEY });
    expect(message.status).toBe(200);
  });

  it('an app id the settings configure cannot be registered to a tenant (409), with or without a key', async () => {
    await onboard(stack(), 'acme');
    for (const appId of [ZALO_FIXTURE_APP_ID, SETTINGS_APP]) {
      expect(await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${appId}`, { body: {} })).toMatchObject({ status: 409, body: { error: { field: 'appId' } } });
      expect((await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${appId}`, { body: { oaSecretKey: 'x' } })).status).toBe(409);
    }
  });
});
