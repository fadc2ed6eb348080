/**
 * Section 12: what the tenant registry costs the hot path, in registry reads (GetItem) per 1,000 callbacks.
 * The real resolver (lib/tenants/resolve.ts) over the real registry adapter on DynamoDB Local, every
 * adapter call counted, on a simulated clock (callbacks spread over time at a given rate) with the
 * default cache TTL of 60 s: env tokens, a few registry tokens, many tokens, a flood of unknown tokens
 * (bounded by the miss budget), and the Zalo app lookup of the webhook.
 */
import '../../../infra/local/quiet';
import { randomBytes } from 'node:crypto';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildRegistryStore } from '../../../lib/store/registry';
import { newCredential } from '../../../lib/tenants/credentials';
import type { RegistryStore } from '../../../lib/tenants/ports';
import { buildTenantResolver } from '../../../lib/tenants/resolve';
import { envZaloApps } from '../../../lib/wiring/env-zalo-apps';
import { round, writeJson } from '../common';

const CALLBACKS = 1000;
const TTL_MS = 60_000;

interface Row { label: string; callbacks: number; perSecond: number; reads: number; readsPer1000: number }

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const tables = tableNames(`brg${Date.now().toString(36)}`);
  await ensureTables(localClient(endpoint), tables);
  const store = buildRegistryStore(buildDocumentClient(endpoint), tables.Registry);
  const tokens = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const credential = newCredential('esms-token');
    await store.putCredential('esms-token', credential.id, { tenant: `t${i}`, hash: credential.hash, createdAt: 0 });
    return credential.text;
  }));
  await store.putZaloApp({ appId: '9500000000000000001', tenant: 't0', oaSecretKey: 'sealed', now: 0 });

  /** `CALLBACKS` lookups at `perSecond`, token i % tokens.length (or from `pick`), on a fresh instance. */
  const run = async (label: string, perSecond: number, pick: (i: number) => string, kind: 'token' | 'app' = 'token'): Promise<Row> => {
    let now = 1_000_000;
    let reads = 0;
    const counted: Pick<RegistryStore, 'getCredential' | 'getZaloApp'> = {
      getCredential: (k, id) => { reads += 1; return store.getCredential(k, id); },
      getZaloApp: (id) => { reads += 1; return store.getZaloApp(id); },
    };
    const resolver = buildTenantResolver({
      store: counted, env: () => ({ esmsTokens: ['env-token'], apiKeys: [], adminApiKeys: [] }), open: (sealed) => sealed, cache: { ttlMs: TTL_MS, now: () => now },
    });
    const directory = resolver.zaloDirectory(envZaloApps(() => ({ zaloApps: {}, zaloAppSecrets: {} })));
    for (let i = 0; i < CALLBACKS; i += 1) {
      now += 1000 / perSecond;
      if (kind === 'token') await resolver.tenantOfToken(pick(i));
      else await directory.find(pick(i));
    }
    return { label, callbacks: CALLBACKS, perSecond, reads, readsPer1000: round((reads / CALLBACKS) * 1000, 1) };
  };

  const stranger = `t${randomBytes(8).toString('hex')}.${randomBytes(32).toString('base64url')}`;
  const rows = [
    await run('env token (ESMS_CALLBACK_TOKENS)', 10, () => 'env-token'),
    await run('1 registry token, 10 callbacks/s (100 s)', 10, () => tokens[0]!),
    await run('1 registry token, 1 callback/s (1,000 s)', 1, () => tokens[0]!),
    await run('20 registry tokens, 10 callbacks/s', 10, (i) => tokens[i % 20]!),
    await run('200 registry tokens, 50 callbacks/s', 50, (i) => tokens[i % 200]!),
    await run('flood: 1,000 unknown well-formed tokens, 1,000/s', 1000, () => `t${randomBytes(8).toString('hex')}.${randomBytes(32).toString('base64url')}`),
    await run('flood: one unknown well-formed token repeated, 1,000/s', 1000, () => stranger),
    await run('flood: 1,000 malformed tokens, 1,000/s', 1000, () => randomBytes(16).toString('hex')),
    await run('Zalo webhook: 1 registry app, 10 events/s', 10, () => '9500000000000000001', 'app'),
  ];
  writeJson(out, { ttlSeconds: TTL_MS / 1000, rows });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
