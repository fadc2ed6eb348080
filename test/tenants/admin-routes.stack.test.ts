/**
 * The registry's other admin routes through HTTP: domain-verification codes on GET / (with the
 * environment's), a tenant's eSMS account for reconciliation (409 before, a run after), and the answers
 * to malformed requests.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_ESMS_DEFAULT_KEYS } from '../../infra/fakes/esms-api';
import { useStack } from '../support/stack';
import { call, onboard, TENANT_ENV } from './admin-client';

const stack = useStack({ env: { ...TENANT_ENV, ZALO_SITE_VERIFICATION: 'env-code-1' }, aggregator: false, fakeEsms: true });

const home = async () => (await fetch(`${stack().url}/`)).text();

describe('registry admin routes', () => {
  it('a tenant\'s domain-verification codes are served on GET / with the environment\'s, and removed', async () => {
    await onboard(stack(), 'acme');
    expect((await call(stack(), 'PUT', '/api/admin/tenants/acme/site-verification/acme-code-1')).status).toBe(201);
    expect((await call(stack(), 'PUT', '/api/admin/tenants/acme/site-verification/acme-code-1')).status).toBe(200);
    expect(await home()).toMatch(/content="env-code-1"[\s\S]*content="acme-code-1"/);
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme/site-verification/acme-code-1')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5100)); // the page's 5 s cache
    expect(await home()).not.toContain('acme-code-1');
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme/site-verification/acme-code-1')).status).toBe(404);
  }, 20_000);

  it('reconciliation of a tenant: 409 without an eSMS account, a run once PUT …/esms-account set one', async () => {
    expect(await call(stack(), 'POST', '/api/admin/reconcile', { body: { tenant: 'acme' } })).toMatchObject({ status: 409, body: { error: { field: 'tenant' } } });
    expect((await call(stack(), 'PUT', '/api/admin/tenants/acme/esms-account', { body: { apiKey: FAKE_ESMS_DEFAULT_KEYS.apiKey, secretKey: FAKE_ESMS_DEFAULT_KEYS.secretKey } })).status).toBe(200);
    expect(await call(stack(), 'POST', '/api/admin/reconcile', { body: { tenant: 'acme' } })).toMatchObject({ status: 200, body: { tenant: 'acme', failed: 0 } });
  });

  it('malformed requests name the field; unknown tenants are 404; nothing secret comes back', async () => {
    expect(await call(stack(), 'POST', '/api/admin/tenants', { body: { id: 'A' } })).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
    expect(await call(stack(), 'POST', '/api/admin/tenants', { body: { id: 'ok-id', extra: 1 } })).toMatchObject({ status: 400 });
    expect(await call(stack(), 'PUT', '/api/admin/tenants/acme/zalo-apps/bad%20app', { body: {} })).toMatchObject({ status: 400, body: { error: { field: 'appId' } } });
    expect(await call(stack(), 'PUT', '/api/admin/tenants/acme/zalo-apps/9600000000000000001', { body: { oaSecretKey: '' } })).toMatchObject({ status: 400, body: { error: { field: 'oaSecretKey' } } });
    expect(await call(stack(), 'PUT', '/api/admin/tenants/acme/esms-account', { body: { apiKey: 'x' } })).toMatchObject({ status: 400, body: { error: { field: 'secretKey' } } });
    expect((await call(stack(), 'POST', '/api/admin/tenants/nobody/api-keys')).status).toBe(404);
    expect((await call(stack(), 'POST', '/api/admin/tenants/acme/zalo-apps/9600000000000000002/drain')).status).toBe(404);
    const app = await call(stack(), 'PUT', '/api/admin/tenants/acme/zalo-apps/9600000000000000003', { body: { oaSecretKey: 'top-secret-oa-key', appSecret: 'top-secret-app' } });
    expect(app.status).toBe(201);
    expect(JSON.stringify(app.body)).not.toMatch(/top-secret/);
  });
});
