/**
 * The resolver over an in-memory registry: what an unauthenticated caller costs in registry reads, and
 * that a revoked API key fails on the very next request (contract: "revokes it at once").
 */
import { describe, expect, it } from 'vitest';
import { newCredential } from '../../lib/tenants/credentials';
import type { CredentialKind, RegistryStore, StoredCredential } from '../../lib/tenants/ports';
import { buildTenantResolver } from '../../lib/tenants/resolve';
import type { ZaloApp } from '../../lib/zalo/ports';
import { envZaloApps } from '../../lib/wiring/env-zalo-apps';

const memoryRegistry = () => {
  const credentials = new Map<string, StoredCredential>();
  const apps = new Map<string, { tenant: string; oaSecretKey: string | undefined }>();
  let reads = 0;
  const store: Pick<RegistryStore, 'getCredential' | 'getZaloApp'> = {
    async getCredential(kind: CredentialKind, id: string) { reads += 1; return credentials.get(`${kind}:${id}`); },
    async getZaloApp(appId: string) {
      reads += 1;
      const app = apps.get(appId);
      return app && { appId, tenant: app.tenant, oaSecretKey: app.oaSecretKey, appSecret: undefined, pendingKept: 0, drainedIngested: 0, drainedDiscarded: 0 };
    },
  };
  return { store, credentials, apps, reads: () => reads };
};

const clock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
};

const setup = () => {
  const registry = memoryRegistry();
  const time = clock();
  const resolver = buildTenantResolver({
    store: registry.store, env: () => ({ esmsTokens: [], apiKeys: [], adminApiKeys: [] }), open: (sealed) => sealed, cache: { ttlMs: 60_000, now: time.now },
  });
  return { registry, time, resolver, directory: resolver.zaloDirectory(envZaloApps(() => ({ zaloApps: {}, zaloAppSecrets: {} }))) };
};

const addKey = (registry: ReturnType<typeof memoryRegistry>, kind: CredentialKind, tenant: string) => {
  const credential = newCredential(kind);
  registry.credentials.set(`${kind}:${credential.id}`, { tenant, hash: credential.hash });
  return credential;
};

describe('tenant resolver', () => {
  it('1,000 requests with one unknown well-formed API key cost one registry read, not one each', async () => {
    const { registry, resolver } = setup();
    const stranger = newCredential('api-key').text;
    for (let i = 0; i < 1000; i += 1) expect(await resolver.callerOfKey(stranger)).toBeUndefined();
    expect(registry.reads()).toBe(1);
  });

  it('malformed keys cost no read at all', async () => {
    const { registry, resolver } = setup();
    for (const key of ['garbage', 'k0123456789abcdef.short', `x${'0'.repeat(16)}.${'a'.repeat(43)}`]) expect(await resolver.callerOfKey(key)).toBeUndefined();
    expect(registry.reads()).toBe(0);
  });

  it('a revoked API key is refused on the very next request (found keys are not cached)', async () => {
    const { registry, resolver } = setup();
    const key = addKey(registry, 'api-key', 'acme');
    expect(await resolver.callerOfKey(key.text)).toEqual({ kind: 'tenant', tenant: 'acme' });
    expect(await resolver.callerOfKey(key.text)).toEqual({ kind: 'tenant', tenant: 'acme' });
    registry.credentials.delete(`api-key:${key.id}`);
    expect(await resolver.callerOfKey(key.text)).toBeUndefined();
  });

  it('a flood of 1,000 unknown tokens and app ids in one second locks out no valid token or app the instance has not cached yet', async () => {
    const { registry, resolver, directory } = setup();
    for (let i = 0; i < 1000; i += 1) {
      expect(await resolver.tenantOfToken(newCredential('esms-token').text)).toBeUndefined();
      expect(await directory.find(`91000000000${String(i).padStart(8, '0')}`)).toBeUndefined();
    }
    const token = addKey(registry, 'esms-token', 'acme');
    registry.apps.set('9500000000000000001', { tenant: 'acme', oaSecretKey: 'oa-key' });
    expect(await resolver.tenantOfToken(token.text)).toBe('acme');
    expect(await directory.find('9500000000000000001')).toMatchObject<Partial<ZaloApp>>({ tenant: 'acme', secret: 'oa-key' });
  });

  it('an app registered just after a request named it is found one second later', async () => {
    const { registry, time, directory } = setup();
    expect(await directory.find('9500000000000000002')).toBeUndefined();
    registry.apps.set('9500000000000000002', { tenant: 'acme', oaSecretKey: 'oa-key' });
    time.advance(1001);
    expect(await directory.find('9500000000000000002')).toMatchObject({ tenant: 'acme' });
  });
});
