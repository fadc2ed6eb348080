/**
 * Last-used times (lib/tenants/last-used.ts) over an in-memory CredentialUseStore that applies the
 * adapter's condition (the entry exists, and its lastUsedAt is absent or older than an hour): at most one
 * write per credential per hour per instance, about one per hour across instances, a bounded memory, and
 * a request that never fails or waits long because of it. Then the resolver: what it records and what not.
 */
import { describe, expect, it } from 'vitest';
import { buildLastUsedRecorder, LAST_USED_INTERVAL_MS } from '../../lib/tenants/last-used';
import { newCredential } from '../../lib/tenants/credentials';
import type { CredentialUseStore, StoredCredential, UsedCredential } from '../../lib/tenants/ports';
import { buildTenantResolver } from '../../lib/tenants/resolve';

const HOUR = LAST_USED_INTERVAL_MS;
const nameOf = (c: UsedCredential) => `${c.tenant}#${c.kind}#${c.id}`;

/** The credential index's entries and their lastUsedAt, with the adapter's condition. */
const memoryIndex = (entries: UsedCredential[]) => {
  const lastUsed = new Map<string, number | undefined>(entries.map((entry) => [nameOf(entry), undefined]));
  const calls: Array<{ name: string; at: number }> = [];
  const store: CredentialUseStore = {
    async markUsed(credential, at, staleBefore) {
      calls.push({ name: nameOf(credential), at });
      const name = nameOf(credential);
      if (!lastUsed.has(name)) return false;
      const last = lastUsed.get(name);
      if (last !== undefined && last >= staleBefore) return false;
      lastUsed.set(name, at);
      return true;
    },
  };
  return { store, lastUsed, calls };
};

const clock = (start = 1_700_000_000_000) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
};

const silent = { debug: () => undefined };
const KEY: UsedCredential = { tenant: 'acme', kind: 'api-key', id: 'k1' };
const TOKEN: UsedCredential = { tenant: 'acme', kind: 'esms-token', id: 't1' };

describe('last-used recorder', () => {
  it('writes on first use, not again within the hour on this instance, and again once the hour has passed', async () => {
    const index = memoryIndex([KEY]);
    const time = clock();
    const record = buildLastUsedRecorder({ store: index.store, now: time.now, log: silent });
    const first = time.now();
    await record(KEY);
    expect(index.lastUsed.get(nameOf(KEY))).toBe(first);
    for (let i = 0; i < 1000; i += 1) {
      time.advance(3000); // 1,000 requests over 50 minutes
      await record(KEY);
    }
    expect(index.calls).toHaveLength(1);
    expect(index.lastUsed.get(nameOf(KEY))).toBe(first);
    time.advance(HOUR - 50 * 60_000);
    await record(KEY);
    expect(index.calls).toHaveLength(2);
    expect(index.lastUsed.get(nameOf(KEY))).toBe(first + HOUR);
    expect(record.counts).toEqual({ skipped: 1000, written: 2, refused: 0, failed: 0 });
  });

  it('ten instances over one index: one successful write per credential-hour (the others refused by the condition)', async () => {
    const index = memoryIndex([KEY, TOKEN]);
    const time = clock();
    const instances = Array.from({ length: 10 }, () => buildLastUsedRecorder({ store: index.store, now: time.now, log: silent }));
    for (let minute = 0; minute < 180; minute += 1) {
      for (const record of instances) {
        await record(KEY);
        await record(TOKEN);
      }
      time.advance(60_000);
    }
    const written = instances.reduce((sum, record) => sum + record.counts.written, 0);
    // Three hours, two credentials: 6 writes at most (each instance writes at most 3 times per credential).
    expect(written).toBe(6);
    expect(index.calls.length).toBeLessThanOrEqual(10 * 2 * 3);
  });

  it('a credential without an index entry (of the settings, or revoked) is refused by the condition and not created', async () => {
    const index = memoryIndex([]);
    const record = buildLastUsedRecorder({ store: index.store, now: clock().now, log: silent });
    await record(KEY);
    expect(index.lastUsed.size).toBe(0);
    expect(record.counts.refused).toBe(1);
  });

  it('remembers at most maxEntries credentials: the oldest is forgotten first', async () => {
    const ids = ['a', 'b', 'c', 'd'].map((id): UsedCredential => ({ tenant: 'acme', kind: 'api-key', id }));
    const index = memoryIndex(ids);
    const time = clock();
    const record = buildLastUsedRecorder({ store: index.store, now: time.now, log: silent, maxEntries: 3 });
    for (const id of ids) await record(id); // 'a' forgotten when 'd' comes
    expect(index.calls).toHaveLength(4);
    await record(ids[3]!);
    await record(ids[1]!);
    expect(index.calls).toHaveLength(4);
    await record(ids[0]!); // forgotten: tried again, refused by the condition (written less than an hour ago)
    expect(index.calls).toHaveLength(5);
    expect(record.counts).toMatchObject({ written: 4, refused: 1 });
  });

  it('a failing write (AccessDenied, throttling) never throws: counted, logged at debug, not retried within the hour', async () => {
    const debug: Array<Record<string, unknown>> = [];
    let calls = 0;
    const denied: CredentialUseStore = {
      async markUsed() {
        calls += 1;
        throw Object.assign(new Error('not authorized to perform dynamodb:UpdateItem'), { name: 'AccessDeniedException' });
      },
    };
    const time = clock();
    const record = buildLastUsedRecorder({ store: denied, now: time.now, log: { debug: (_message, ...fields) => debug.push(Object.assign({}, ...fields) as Record<string, unknown>) } });
    await expect(record(KEY)).resolves.toBeUndefined();
    await expect(record(KEY)).resolves.toBeUndefined();
    expect(calls).toBe(1);
    expect(record.counts.failed).toBe(1);
    expect(debug).toEqual([expect.objectContaining({ kind: 'api-key', id: 'k1', error: expect.stringContaining('AccessDeniedException') })]);
  });

  it('a write that hangs is abandoned after timeoutMs, its request aborted', async () => {
    let signal: AbortSignal | undefined;
    const hanging: CredentialUseStore = {
      markUsed: (_credential, _at, _stale, abort) => new Promise<boolean>((_, reject) => {
        signal = abort;
        abort?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
    };
    const record = buildLastUsedRecorder({ store: hanging, now: Date.now, log: silent, timeoutMs: 50 });
    const started = performance.now();
    await record(KEY);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(500);
    expect(signal?.aborted).toBe(true);
    expect(record.counts.failed).toBe(1);
  });
});

describe('the resolver records registry credentials it accepts', () => {
  const setup = () => {
    const credentials = new Map<string, StoredCredential>();
    const used: UsedCredential[] = [];
    const resolver = buildTenantResolver({
      store: {
        getCredential: async (kind, id) => credentials.get(`${kind}:${id}`),
        getZaloApp: async () => undefined,
      },
      env: () => ({ esmsTokens: ['env-token'], apiKeys: ['env-key'], adminApiKeys: ['admin-key'] }),
      open: (sealed) => sealed,
      cache: { ttlMs: 60_000 },
      recordUse: async (credential) => { used.push(credential); },
    });
    const add = (kind: 'api-key' | 'esms-token', tenant: string, suspended = false) => {
      const credential = newCredential(kind);
      credentials.set(`${kind}:${credential.id}`, { tenant, hash: credential.hash, ...(suspended && { suspended: true }) });
      return credential;
    };
    return { resolver, used, add };
  };

  it('a token that matches, and a key a read route accepts; not a wrong secret, a suspended tenant\'s key, a key on an admin route, or a setting', async () => {
    const { resolver, used, add } = setup();
    const token = add('esms-token', 'acme');
    const key = add('api-key', 'acme');
    const suspended = add('api-key', 'idle', true);
    expect(await resolver.tenantOfToken(token.text)).toBe('acme');
    expect(await resolver.readerOfKey(key.text)).toEqual({ kind: 'tenant', tenant: 'acme' });
    expect(used).toEqual([{ tenant: 'acme', kind: 'esms-token', id: token.id }, { tenant: 'acme', kind: 'api-key', id: key.id }]);
    expect(await resolver.tenantOfToken(`${token.id}.${'A'.repeat(43)}`)).toBeUndefined();
    expect(await resolver.readerOfKey(suspended.text)).toEqual({ kind: 'tenant', tenant: 'idle', suspended: true });
    expect(await resolver.callerOfKey(key.text)).toEqual({ kind: 'tenant', tenant: 'acme' });
    expect(await resolver.tenantOfToken('env-token')).toBe('default');
    expect(await resolver.readerOfKey('env-key')).toEqual({ kind: 'tenant', tenant: 'default' });
    expect(await resolver.readerOfKey('admin-key')).toEqual({ kind: 'admin' });
    expect(used).toHaveLength(2);
  });
});
