/**
 * The tenant lifecycle's logic over an in-memory registry: the inventory lists what the credential index
 * holds (an app that moved to another tenant is not listed) and never a secret; a suspension reaches every
 * API key of the tenant, and a suspended key resolves as suspended on the very next request. Offboarding
 * refuses `default` and a missing confirm, removes credentials first and each call stays within its budget.
 */
import { describe, expect, it } from 'vitest';
import { getTenantRoute, patchTenantRoute } from '../../lib/api/tenant-lifecycle';
import { tenantInventory, updateTenant, type LifecycleDeps } from '../../lib/tenants/lifecycle';
import { offboardTenant } from '../../lib/tenants/offboard';
import type { IndexedCredential, OffboardStore, StoredCredential, StoredZaloApp, Tenant } from '../../lib/tenants/ports';
import { buildTenantResolver } from '../../lib/tenants/resolve';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const memory = () => {
  const tenants = new Map<string, Tenant>([['acme', { id: 'acme', name: 'ACME', createdAt: 0 }]]);
  const index = new Map<string, IndexedCredential[]>([['acme', [
    { kind: 'api-key', id: 'k1', createdAt: 2, lastUsedAt: 1_700_000_000_000 }, { kind: 'api-key', id: 'k0', createdAt: 1 },
    { kind: 'esms-token', id: 't1', createdAt: 3 }, { kind: 'zalo-app', id: 'app1', createdAt: 4 }, { kind: 'zalo-app', id: 'moved', createdAt: 5 },
  ]]]);
  const keys = new Map<string, StoredCredential>([['k0', { tenant: 'acme', hash: 'h0' }], ['k1', { tenant: 'acme', hash: 'h1' }]]);
  const app = (appId: string, tenant: string): StoredZaloApp => ({ appId, tenant, oaSecretKey: 'sealed-secret', appSecret: undefined, pendingKept: 2, drainedIngested: 0, drainedDiscarded: 0 });
  const apps = new Map([['app1', app('app1', 'acme')], ['moved', app('moved', 'other')]]);
  const deps: LifecycleDeps = {
    store: {
      getTenant: async (id) => tenants.get(id),
      async updateTenant(id, change) {
        const tenant = tenants.get(id);
        if (!tenant) return undefined;
        const next = { ...tenant, ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) };
        tenants.set(id, next);
        return next;
      },
      listTenantCredentials: async (tenant) => index.get(tenant) ?? [],
      getZaloApp: async (appId) => apps.get(appId),
      async setKeySuspended(id, tenant, suspended) {
        const key = keys.get(id);
        if (key?.tenant !== tenant) return false;
        keys.set(id, { ...key, suspended });
        return true;
      },
    },
    destinations: async () => [{ id: 'dst_1', enabled: true, createdAt: 6 }],
  };
  return { deps, keys, tenants };
};

const event = (id: string, body?: unknown) => ({ isBase64Encoded: false, pathParameters: { id }, ...(body !== undefined && { body: JSON.stringify(body) }) }) as unknown as APIGatewayProxyEventV2;
const failure = (run: () => Promise<unknown>) => run().then(() => undefined, (error: unknown) => error);

describe('tenant lifecycle', () => {
  it('the inventory lists the index\'s keys, tokens, apps (with whether each has its key and when each was last used) and destinations, oldest first, never a secret', async () => {
    const { deps } = memory();
    const inventory = await tenantInventory(deps, 'acme');
    expect(inventory.apiKeys.map((key) => key.keyId)).toEqual(['k0', 'k1']);
    expect(inventory.esmsTokens).toEqual([{ tokenId: 't1', createdAt: 3 }]);
    expect(inventory.zaloApps).toEqual([{ appId: 'app1', createdAt: 4, hasKey: true, hasAppSecret: false, pendingKept: 2 }]);
    const answer = await getTenantRoute(deps)(event('acme'));
    expect(answer.body).toMatchObject({ tenant: { id: 'acme', suspended: false, createdAt: '1970-01-01T07:00:00.000+07:00' }, credentials: { destinations: [{ id: 'dst_1' }] } });
    expect(JSON.stringify(answer.body)).not.toMatch(/sealed|h0|h1/);
    // lastUsedAt: +07:00 when recorded, null when not (the field is always there).
    expect(answer.body.credentials.apiKeys.map((key) => key.lastUsedAt)).toEqual([null, '2023-11-15T05:13:20.000+07:00']);
    expect(answer.body.credentials.esmsTokens.map((token) => token.lastUsedAt)).toEqual([null]);
    expect(answer.body.credentials.zaloApps.map((app) => app.lastUsedAt)).toEqual([null]);
    expect(await failure(() => tenantInventory(deps, 'nobody'))).toMatchObject({ status: 404 });
  });

  it('suspending marks every API key of the tenant; resuming clears them', async () => {
    const { deps, keys } = memory();
    expect(await updateTenant(deps, 'acme', { suspended: true })).toMatchObject({ tenant: { suspended: true }, keysChanged: 2 });
    expect([...keys.values()].every((key) => key.suspended === true)).toBe(true);
    await updateTenant(deps, 'acme', { suspended: false });
    expect([...keys.values()].every((key) => key.suspended === false)).toBe(true);
    expect(await updateTenant(deps, 'acme', { name: 'Acme Co' })).toMatchObject({ tenant: { name: 'Acme Co' }, keysChanged: 0 });
  });

  it('PATCH refuses an empty or unknown body and a bad retention with a 400 naming the field', async () => {
    const route = patchTenantRoute(memory().deps);
    expect(await failure(() => route(event('acme', {})))).toMatchObject({ status: 400 });
    expect(await failure(() => route(event('acme', { owner: 'x' })))).toMatchObject({ status: 400 });
    expect(await failure(() => route(event('acme', { retentionDays: 0 })))).toMatchObject({ status: 400, field: 'retentionDays' });
    expect(await failure(() => route(event('acme', { suspended: 'yes' })))).toMatchObject({ status: 400, field: 'suspended' });
    expect(await route(event('acme', { suspended: true }))).toMatchObject({ body: { tenant: { suspended: true }, apiKeysChanged: 2 } });
  });

  it('a suspended key resolves as suspended on the next request (API keys are never cached)', async () => {
    const stored: StoredCredential = { tenant: 'acme', hash: '' };
    const { newCredential } = await import('../../lib/tenants/credentials');
    const credential = newCredential('api-key');
    stored.hash = credential.hash;
    const resolver = buildTenantResolver({
      store: { getCredential: async () => stored, getZaloApp: async () => undefined },
      env: () => ({ esmsTokens: [], apiKeys: [], adminApiKeys: [] }), open: (sealed) => sealed, cache: { ttlMs: 60_000 },
    });
    expect(await resolver.callerOfKey(credential.text)).toEqual({ kind: 'tenant', tenant: 'acme' });
    stored.suspended = true;
    expect(await resolver.callerOfKey(credential.text)).toEqual({ kind: 'tenant', tenant: 'acme', suspended: true });
  });
});

describe('offboarding a tenant', () => {
  const memoryOffboard = (records: number) => {
    let tenant: { offboarding: boolean; cursor: string | undefined } | undefined = { offboarding: false, cursor: undefined };
    const log: string[] = [];
    let messages = records;
    let counters = 3;
    const store: OffboardStore = {
      state: async () => tenant,
      async markOffboarding() { log.push('mark'); tenant = { ...tenant!, offboarding: true }; },
      async removeRegistryItems() { log.push('registry'); return { deleted: 2, done: true }; },
      async sweep(_tenant, cursor, limit) {
        if (cursor !== 'counters') {
          const deleted = Math.min(limit, messages);
          messages -= deleted;
          return messages > 0 ? { deleted, next: 'messages' } : { deleted, next: 'counters', messagesDone: true };
        }
        const deleted = counters;
        counters = 0;
        return { deleted, next: undefined };
      },
      async saveCursor(_tenant, cursor) { tenant = { ...tenant!, cursor }; },
      async removeTenant() { log.push('tenant'); tenant = undefined; },
    };
    return { store, log, left: () => ({ messages, counters }) };
  };

  it('default is 409, a missing or different confirm 400, an unknown tenant 404', async () => {
    const deps = { store: memoryOffboard(0).store, budgetItems: 10, outOfTime: () => false, now: () => 0, settleMs: 0 };
    expect(await failure(() => offboardTenant(deps, 'default', 'default'))).toMatchObject({ status: 409 });
    expect(await failure(() => offboardTenant(deps, 'acme', undefined))).toMatchObject({ status: 400, field: 'confirm' });
    expect(await failure(() => offboardTenant(deps, 'acme', 'beta'))).toMatchObject({ status: 400, field: 'confirm' });
    expect(await failure(() => offboardTenant({ ...deps, store: { ...deps.store, state: async () => undefined } }, 'acme', 'acme'))).toMatchObject({ status: 404 });
  });

  it('credentials go first; each call deletes at most its budget; the counters wait for the settle time; the tenant item goes last', async () => {
    const memory = memoryOffboard(25);
    let now = 0;
    const deps = { store: memory.store, budgetItems: 10, outOfTime: () => false, now: () => now, settleMs: 60_000 };
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await offboardTenant(deps, 'acme', 'acme'));
    expect(memory.log.slice(0, 2)).toEqual(['mark', 'registry']);
    expect(answers.every((answer) => answer.changed <= 12 && answer.incomplete)).toBe(true);
    expect(memory.left()).toEqual({ messages: 0, counters: 3 });
    now = 60_000;
    expect(await offboardTenant(deps, 'acme', 'acme')).toEqual({ changed: 2 + 3 + 1, incomplete: false });
    expect(memory.left()).toEqual({ messages: 0, counters: 0 });
    expect(memory.log.at(-1)).toBe('tenant');
    expect(await failure(() => offboardTenant(deps, 'acme', 'acme'))).toMatchObject({ status: 404 });
  });
});
