/**
 * A deployment without `ZALO_OA_CALLBACK_URL` (the AWS case: the stack's local default is switched off
 * by setting it empty) refuses to start an OA connection with a page that names the setting, and never
 * builds a redirect_uri from the request's Host.
 */
import { describe, expect, it } from 'vitest';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { useStack } from '../support/stack';

const stack = useStack({
  env: {
    ZALO_OA_CALLBACK_URL: '',
    ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: 'app-secret' }),
    ZALO_STATE_SECRET: 'state-secret',
    ZALO_OAUTH_BASE_URL: 'http://127.0.0.1:9',
  },
  fakeZalo: false,
});

describe('no callback URL configured', () => {
  it('refuses to start the flow: a clear error page, no redirect, no cookie, whatever the Host says', async () => {
    const response = await fetch(`${stack().url}/zalo/oa-connect?app_id=${ZALO_FIXTURE_APP_ID}`, { redirect: 'manual', headers: { host: 'evil.example' } });
    expect(response.status).toBe(500);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    const page = await response.text();
    expect(page).toContain('ZALO_OA_CALLBACK_URL');
    expect(page).not.toContain('evil.example');
  });
});
