import { describe, expect, it } from 'vitest';
import { buildTenantSuspension } from '../../lib/tenants/suspension';

describe('buildTenantSuspension', () => {
  it('reads a tenant once per TTL, and again after it', async () => {
    let now = 0;
    const reads: string[] = [];
    const suspended = buildTenantSuspension({ load: async (tenant) => { reads.push(tenant); return tenant === 'acme'; }, ttlMs: 60_000, now: () => now });
    expect([await suspended('acme'), await suspended('acme'), await suspended('beta')]).toEqual([true, true, false]);
    expect(reads).toEqual(['acme', 'beta']);
    now = 60_001;
    await suspended('acme');
    expect(reads).toEqual(['acme', 'beta', 'acme']);
  });

  it('does not remember a failed read', async () => {
    let fail = true;
    const suspended = buildTenantSuspension({ load: async () => { if (fail) throw new Error('throttled'); return true; }, ttlMs: 60_000, now: () => 0 });
    await expect(suspended('acme')).rejects.toThrow('throttled');
    fail = false;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await suspended('acme')).toBe(true);
  });
});
