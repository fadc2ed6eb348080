/**
 * The token refresher against the fake Zalo and the token adapter on DynamoDB Local, with an injected
 * logger: single-use refresh tokens, compare-and-swap against a concurrent reconnection, a store
 * failure right after Zalo answered (retried, since the old refresh token is spent), and logs free of tokens.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { StorageUnavailableError } from '../../lib/errors';
import { buildDocumentClient } from '../../lib/store/client';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { buildZaloOAuthClient } from '../../lib/zalo-api/oauth';
import { tokenKey } from '../../lib/zalo/crypto';
import type { TokenStore } from '../../lib/zalo/ports';
import { buildTokenRefresher, type RefreshDeps } from '../../lib/zalo/token-refresh';
import { openRefreshToken, sealGrant } from '../../lib/zalo/tokens';
import { uniquePrefix } from '../support/stack';
import { startFakeZalo, type FakeZalo } from './fake-zalo';

const APP = 'app-1';
const SECRET = 'app-1-secret';
const key = tokenKey(Buffer.alloc(32, 7).toString('base64'));
const tables = tableNames(uniquePrefix());
const store = buildTokenStore(buildDocumentClient(inject('dynamoEndpoint')), tables.Messages);

const lines: string[] = [];
const log = {
  info: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  warn: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  error: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
} as unknown as RefreshDeps['log'];
const counted: string[] = [];

let fake: FakeZalo;
beforeAll(async () => {
  const client = localClient(inject('dynamoEndpoint'));
  await ensureTables(client, tables);
  client.destroy();
  fake = await startFakeZalo({ [APP]: SECRET });
});
afterAll(() => fake.close());

const refresher = (tokens: Pick<TokenStore, 'expiringBefore' | 'replace'> = store) => buildTokenRefresher({
  appSecrets: () => ({ [APP]: SECRET }),
  tokenKey: key,
  oauth: buildZaloOAuthClient({ oauthBaseUrl: fake.url, openApiBaseUrl: fake.url }),
  tokens,
  now: Date.now,
  log,
  telemetry: { count: (name) => void counted.push(name) },
});

/** An OA connected through the fake, with an access token that expires within the window. */
const connected = async (oaId: string) => {
  fake.expiresIn = '600';
  const oauth = buildZaloOAuthClient({ oauthBaseUrl: fake.url, openApiBaseUrl: fake.url });
  const grant = await oauth.exchangeCode({ appId: APP, appSecret: SECRET, code: fake.consent(oaId) });
  fake.expiresIn = '90000';
  await store.save(sealGrant(key, grant, { oaId, appId: APP, now: Date.now(), connectedAt: Date.now(), verified: true }));
  return (await store.get(oaId))!;
};

describe('token refresher', () => {
  it('rotates the pair: the new refresh token is stored, the spent one is refused by Zalo afterwards', async () => {
    const before = await connected('oa-rotate');
    const spent = openRefreshToken(key, before);
    expect(await refresher()()).toMatchObject({ refreshed: 1, failed: 0 });
    const after = (await store.get('oa-rotate'))!;
    expect(openRefreshToken(key, after)).toBe(fake.refreshOf.get('oa-rotate'));
    expect(after).toMatchObject({ ver: before.ver + 1, connectedAt: before.connectedAt });
    const oauth = buildZaloOAuthClient({ oauthBaseUrl: fake.url, openApiBaseUrl: fake.url });
    await expect(oauth.refresh({ appId: APP, appSecret: SECRET, refreshToken: spent })).rejects.toThrow('-14014');
  });

  it('keeps a reconnection that happened meanwhile (compare-and-swap on ver)', async () => {
    const stale = await connected('oa-race');
    // A reconnection lands between our read and our write.
    const reconnect = await connected('oa-race');
    const tokens = { expiringBefore: async () => [stale], replace: store.replace };
    expect(await refresher(tokens)()).toMatchObject({ due: 1, superseded: 1, refreshed: 0 });
    expect((await store.get('oa-race'))!.refresh).toBe(reconnect.refresh);
  });

  it('retries the write when storage fails right after Zalo answered', async () => {
    await connected('oa-flaky');
    let failures = 1;
    const tokens = {
      expiringBefore: (before: number) => store.expiringBefore(before).then((records) => records.filter((r) => r.oaId === 'oa-flaky')),
      replace: async (...args: Parameters<TokenStore['replace']>) => {
        if (failures-- > 0) throw new StorageUnavailableError(new Error('throttled'));
        return store.replace(...args);
      },
    };
    expect(await refresher(tokens)()).toMatchObject({ refreshed: 1, failed: 0 });
    expect(openRefreshToken(key, (await store.get('oa-flaky'))!)).toBe(fake.refreshOf.get('oa-flaky'));
  });

  it('counts a refusal by Zalo as failed and keeps the stored pair', async () => {
    const record = await connected('oa-refused');
    await buildZaloOAuthClient({ oauthBaseUrl: fake.url, openApiBaseUrl: fake.url })
      .refresh({ appId: APP, appSecret: SECRET, refreshToken: openRefreshToken(key, record) }); // spent elsewhere
    const tokens = { expiringBefore: async () => [record], replace: store.replace };
    expect(await refresher(tokens)()).toMatchObject({ failed: 1 });
    expect(counted).toContain('ZaloTokenRefreshFailed');
    expect((await store.get('oa-refused'))!.ver).toBe(record.ver);
  });

  it('never logs a token or the app secret', () => {
    const text = lines.join('\n');
    expect(text).toContain('zalo token refresh refused');
    for (const secret of [...fake.issued, SECRET]) expect(text).not.toContain(secret);
  });
});
