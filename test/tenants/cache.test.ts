/** The per-instance registry cache: how long answers are trusted, what a flood of unknown names costs. */
import { describe, expect, it } from 'vitest';
import { buildRegistryCache } from '../../lib/tenants/cache';

const clock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
};

describe('registry cache', () => {
  it('a found entry is read once per TTL', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 60_000, now: time.now });
    let loads = 0;
    const load = async () => { loads += 1; return 'acme'; };
    for (let i = 0; i < 100; i += 1) {
      expect(await cache.get('t1', load)).toBe('acme');
      time.advance(500); // 100 lookups over 50 s
    }
    expect(loads).toBe(1);
    time.advance(10_001);
    await cache.get('t1', load);
    expect(loads).toBe(2);
  });

  it('an unknown name is remembered for one second only, so a name created meanwhile is found just after', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 60_000, now: time.now });
    let exists = false;
    const load = async () => (exists ? 'acme' : undefined);
    expect(await cache.get('t1', load)).toBeUndefined();
    exists = true;
    expect(await cache.get('t1', load)).toBeUndefined();
    time.advance(1001);
    expect(await cache.get('t1', load)).toBe('acme');
  });

  it('after 1,000 unknown names in one second, a valid name this instance has not cached yet is still found (no lockout)', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 60_000, now: time.now });
    for (let i = 0; i < 1000; i += 1) expect(await cache.get(`stranger-${i}`, async () => undefined)).toBeUndefined();
    expect(await cache.get('valid-but-uncached', async () => 'acme')).toBe('acme');
  });

  it('a flood costs at most one read per unknown name and miss TTL: repeating a name is free, known names are never pushed out', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 60_000, missTtlMs: 60_000, maxEntries: 100, now: time.now });
    let loads = 0;
    expect(await cache.get('known', async () => { loads += 1; return 'acme'; })).toBe('acme');
    for (let round = 0; round < 10; round += 1) {
      for (let i = 0; i < 50; i += 1) await cache.get(`stranger-${i}`, async () => { loads += 1; return undefined; });
      time.advance(100);
    }
    expect(loads).toBe(1 + 50); // each stranger read once, then remembered
    for (let i = 0; i < 1000; i += 1) await cache.get(`other-${i}`, async () => { loads += 1; return undefined; }); // far more than maxEntries
    expect(loads).toBe(1 + 50 + 1000);
    expect(await cache.get('known', async () => { loads += 1; return 'acme'; })).toBe('acme');
    expect(loads).toBe(1 + 50 + 1000); // still cached: unknown names live in their own map
  });

  it('with ttlMs 0 a found entry is read on every use (nothing found is kept), while unknown names are still remembered', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 0, missTtlMs: 60_000, now: time.now });
    let loads = 0;
    let value: string | undefined = 'acme';
    for (let i = 0; i < 3; i += 1) expect(await cache.get('k1', async () => { loads += 1; return value; })).toBe('acme');
    expect(loads).toBe(3);
    value = undefined; // revoked
    expect(await cache.get('k1', async () => { loads += 1; return value; })).toBeUndefined();
    expect(await cache.get('k1', async () => { loads += 1; return value; })).toBeUndefined();
    expect(loads).toBe(4);
  });

  it('holds at most maxEntries found names (oldest dropped first)', async () => {
    const cache = buildRegistryCache<number>({ ttlMs: 60_000, maxEntries: 3 });
    let loads = 0;
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, async () => { loads += 1; return 1; });
    await cache.get('d', async () => { loads += 1; return 1; });
    expect(loads).toBe(4);
    await cache.get('a', async () => { loads += 1; return 1; });
    expect(loads).toBe(5);
  });

  it('concurrent lookups of one name share one read', async () => {
    const cache = buildRegistryCache<string>({ ttlMs: 60_000 });
    let loads = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get('t1', async () => { loads += 1; await new Promise((r) => setTimeout(r, 10)); return 'acme'; })));
    expect(new Set(answers)).toEqual(new Set(['acme']));
    expect(loads).toBe(1);
  });
});
