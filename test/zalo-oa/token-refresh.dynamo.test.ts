/**
 * The token refresher against the fake Zalo and the token adapter on DynamoDB Local, with an injected
 * logger: single-use refresh tokens spent once even by two concurrent refreshers (the lease), a crashed
 * holder's lease expiring, compare-and-swap against a concurrent reconnection, retries on 5xx, a store
 * failure right after Zalo answered (retried, since the old refresh token is spent), revocation (by a
 * refused refresh or `markRevoked`), and logs free of tokens.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../../infra/fakes/zalo-api';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { StorageUnavailableError } from '../../lib/errors';
import { buildDocumentClient } from '../../lib/store/client';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { buildZaloOAuthClient, type ZaloOAuthOptions } from '../../lib/zalo-api/oauth';
import { tokenKey } from '../../lib/seal';
import type { TokenStore } from '../../lib/zalo/ports';
import { buildTokenRefresher, LEASE_MS, type RefreshDeps } from '../../lib/zalo-oa/token-refresh';
import { openRefreshToken, sealGrant } from '../../lib/zalo-oa/tokens';
import { uniquePrefix } from '../support/stack';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const APP = 'app-1';
const SECRET = 'app-1-secret';
const TENANT = 'acme';
const key = tokenKey(Buffer.alloc(32, 7).toString('base64'));
const tables = tableNames(uniquePrefix());
const store = buildTokenStore(buildDocumentClient(testDynamoEndpoint()), tables.Messages);

const lines: string[] = [];
const log = {
  info: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  warn: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  error: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
} as unknown as RefreshDeps['log'];
const counted: string[] = [];
const sleeps: number[] = [];

let fake: FakeZalo;
beforeAll(async () => {
  const client = localClient(testDynamoEndpoint());
  await ensureTables(client, tables);
  client.destroy();
  fake = await startFakeZalo({ apps: { [APP]: SECRET } });
});
afterAll(() => fake.close());
beforeEach(() => fake.setSwitches({ tokenFailures: undefined, tokenDelayMs: undefined }));

const oauthOptions = (): ZaloOAuthOptions => ({
  oauthBaseUrl: fake.url,
  openApiBaseUrl: fake.url,
  refreshPolicy: { timeoutMs: 2000, attempts: 3, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms) },
});
const apps = { find: async (appId: string) => (appId === APP ? { appId, tenant: TENANT, secret: undefined, appSecret: SECRET } : undefined) };

type Tokens = RefreshDeps['tokens'];
const refresher = (tokens: Tokens = store, only?: string) => buildTokenRefresher({
  apps,
  tokenKey: key,
  oauth: buildZaloOAuthClient(oauthOptions()),
  tokens: only ? { ...tokens, expiringBefore: async (before) => (await tokens.expiringBefore(before)).filter((r) => r.oaId === only) } : tokens,
  now: Date.now,
  log,
  telemetry: { count: (name) => void counted.push(name) },
});

/** An OA connected through the fake, with an access token that expires within the window. */
const connected = async (oaId: string) => {
  fake.expiresIn = '600';
  const grant = await buildZaloOAuthClient(oauthOptions()).exchangeCode({ appId: APP, appSecret: SECRET, code: fake.consent(oaId) });
  fake.expiresIn = '90000';
  await store.save(sealGrant(key, grant, { tenant: TENANT, oaId, appId: APP, now: Date.now(), connectedAt: Date.now() }));
  return (await store.get(TENANT, oaId))!;
};

describe('token refresher', () => {
  it('rotates the pair: the new refresh token is stored, the spent one is refused by Zalo afterwards', async () => {
    const before = await connected('oa-rotate');
    const spent = openRefreshToken(key, before);
    expect(await refresher(store, 'oa-rotate')()).toMatchObject({ refreshed: 1, failed: 0 });
    const after = (await store.get(TENANT, 'oa-rotate'))!;
    expect(openRefreshToken(key, after)).toBe(fake.refreshOf.get('oa-rotate'));
    expect(after).toMatchObject({ ver: before.ver + 1, connectedAt: before.connectedAt });
    await expect(buildZaloOAuthClient(oauthOptions()).refresh({ appId: APP, appSecret: SECRET, refreshToken: spent })).rejects.toThrow('-14014');
  });

  it('two refreshers started together spend the refresh token once: one refreshes, the other finds the lease taken', async () => {
    const before = await connected('oa-twice');
    const spent = openRefreshToken(key, before);
    fake.setSwitches({ tokenDelayMs: 300 }); // both are in flight at once
    const [a, b] = await Promise.all([refresher(store, 'oa-twice')(), refresher(store, 'oa-twice')()]);
    expect(fake.refreshUses.get(spent)).toBe(1);
    expect([a.refreshed + b.refreshed, a.busy + b.busy]).toEqual([1, 1]);
    expect(openRefreshToken(key, (await store.get(TENANT, 'oa-twice'))!)).toBe(fake.refreshOf.get('oa-twice'));
  });

  it('a refresher that read the record before another refreshed it does not spend the new token', async () => {
    const stale = await connected('oa-stale');
    expect(await refresher(store, 'oa-stale')()).toMatchObject({ refreshed: 1 });
    const uses = [...fake.refreshUses.values()].reduce((sum, n) => sum + n, 0);
    const tokens = { ...store, expiringBefore: async () => [stale] };
    expect(await refresher(tokens)()).toMatchObject({ busy: 1, refreshed: 0 });
    expect([...fake.refreshUses.values()].reduce((sum, n) => sum + n, 0)).toBe(uses);
  });

  it('a lease left by a crashed refresher blocks others until it expires, then the OA is refreshed', async () => {
    const record = await connected('oa-crashed');
    expect(await store.lease(record, 'crashed', Date.now() + LEASE_MS, Date.now())).toBe(true);
    expect(await refresher(store, 'oa-crashed')()).toMatchObject({ busy: 1 });
    expect(await store.lease(record, 'other', Date.now() + LEASE_MS, Date.now())).toBe(false);
    const only = async (before: number) => (await store.expiringBefore(before)).filter((r) => r.oaId === 'oa-crashed');
    const late = buildTokenRefresher({ ...depsAt(Date.now() + LEASE_MS + 1), tokens: { ...store, expiringBefore: only } });
    expect(await late()).toMatchObject({ due: 1, refreshed: 1 });
    expect(openRefreshToken(key, (await store.get(TENANT, 'oa-crashed'))!)).toBe(fake.refreshOf.get('oa-crashed'));
  });

  it('keeps a reconnection that happened meanwhile (compare-and-swap on ver)', async () => {
    const stale = await connected('oa-race');
    let reconnect: Awaited<ReturnType<typeof connected>> | undefined;
    // The reconnection lands after our lease, while Zalo is answering us.
    const tokens: Tokens = { ...store, expiringBefore: async () => [stale], lease: async (...args) => {
      const taken = await store.lease(...args);
      reconnect = await connected('oa-race');
      return taken;
    } };
    expect(await refresher(tokens)()).toMatchObject({ due: 1, superseded: 1, refreshed: 0 });
    expect((await store.get(TENANT, 'oa-race'))!.refresh).toBe(reconnect!.refresh);
  });

  it('retries a refresh that met 5xx answers, with back-off, and spends the token once', async () => {
    const before = await connected('oa-5xx');
    fake.setSwitches({ tokenFailures: 2 });
    sleeps.length = 0;
    expect(await refresher(store, 'oa-5xx')()).toMatchObject({ refreshed: 1 });
    expect(sleeps).toEqual([100, 200]);
    expect(fake.refreshUses.get(openRefreshToken(key, before))).toBe(1);
  });

  it('retries the write when storage fails right after Zalo answered', async () => {
    await connected('oa-flaky');
    let failures = 1;
    const tokens: Tokens = { ...store, replace: async (...args: Parameters<TokenStore['replace']>) => {
      if (failures-- > 0) throw new StorageUnavailableError(new Error('throttled'));
      return store.replace(...args);
    } };
    expect(await refresher(tokens, 'oa-flaky')()).toMatchObject({ refreshed: 1, failed: 0 });
    expect(openRefreshToken(key, (await store.get(TENANT, 'oa-flaky'))!)).toBe(fake.refreshOf.get('oa-flaky'));
  });

  it('a refresh Zalo refuses marks the OA disconnected: counted, never listed as due again', async () => {
    const record = await connected('oa-refused');
    await buildZaloOAuthClient(oauthOptions()).refresh({ appId: APP, appSecret: SECRET, refreshToken: openRefreshToken(key, record) }); // spent elsewhere
    expect(await refresher(store, 'oa-refused')()).toMatchObject({ disconnected: 1 });
    expect(counted).toContain('ZaloOaDisconnected');
    expect(await store.get(TENANT, 'oa-refused')).toMatchObject({ ver: record.ver, revokedReason: 'refresh refused (-14014)' });
    expect((await store.expiringBefore(Number.MAX_SAFE_INTEGER)).map((r) => r.oaId)).not.toContain('oa-refused');
  });

  it('markRevoked (permission_revoked) stops refreshing, but not a connection made after the revocation', async () => {
    const record = await connected('oa-revoked');
    expect(await store.markRevoked(TENANT, 'oa-revoked', record.connectedAt - 1000, 'permission_revoked')).toBe(false);
    expect((await store.get(TENANT, 'oa-revoked'))!.revokedAt).toBeUndefined();
    expect(await store.markRevoked(TENANT, 'oa-revoked', Date.now(), 'permission_revoked')).toBe(true);
    expect(await refresher(store, 'oa-revoked')()).toMatchObject({ due: 0 });
    expect(await store.markRevoked(TENANT, 'oa-unknown', Date.now(), 'permission_revoked')).toBe(false);
  });

  it('never logs a token or the app secret', () => {
    const text = lines.join('\n');
    expect(text).toContain('zalo token refresh refused');
    for (const secret of [...fake.issued, SECRET]) expect(text).not.toContain(secret);
  });
});

function depsAt(now: number): RefreshDeps {
  return { apps, tokenKey: key, oauth: buildZaloOAuthClient(oauthOptions()), tokens: store, now: () => now, log, telemetry: { count: () => undefined } };
}
