/** The per-instance registry cache: how long answers are trusted, how unknown names and floods are bounded. */
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

  it('strangers beyond the miss budget are refused without a read; known names are still read', async () => {
    const time = clock();
    const cache = buildRegistryCache<string>({ ttlMs: 1000, missesPerSecond: 100, now: time.now });
    let loads = 0;
    expect(await cache.get('known', async () => { loads += 1; return 'acme'; })).toBe('acme');
    for (let i = 0; i < 1000; i += 1) await cache.get(`stranger-${i}`, async () => { loads += 1; return undefined; });
    expect(loads).toBe(100); // 1 + 99 strangers: the budget counts every read of the second
    time.advance(1001); // the known entry expired, and the budget of this second is spent below
    for (let i = 0; i < 200; i += 1) await cache.get(`other-${i}`, async () => { loads += 1; return undefined; });
    expect(await cache.get('known', async () => { loads += 1; return 'acme'; })).toBe('acme');
    expect(loads).toBe(201);
  });

  it('holds at most maxEntries names (oldest dropped first)', async () => {
    const cache = buildRegistryCache<number>({ ttlMs: 60_000, maxEntries: 3, missesPerSecond: 1e9 });
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
