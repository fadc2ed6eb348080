/**
 * The admin's every-tenant month of GET /api/usage over an in-memory reader: tenants are read a few at a
 * time (not one after another, not all at once), each row keeps its tenant, and a failed read fails the answer.
 */
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { USAGE_TENANT_LANES, usageRoute } from '../../lib/api/usage';
import type { Usage, UsageReader } from '../../lib/usage/ports';

const event = { queryStringParameters: { month: '2026-11' } } as unknown as APIGatewayProxyEventV2;
const usageOf = (n: number): Usage => ({ callbacks: n, duplicates: 0, rejected: 0, zaloEvents: 0, messages: n, deliveries: 0 });

const slowReader = (fail?: string) => {
  let inFlight = 0;
  let most = 0;
  const reader: UsageReader = {
    async sum(tenant, days) {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      if (tenant === fail) throw new Error('storage unavailable');
      return usageOf(Number(tenant.slice(1)) * 100 + days.length);
    },
  };
  return { reader, most: () => most };
};

describe('GET /api/usage for every tenant', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, '0')}`);

  it(`reads at most ${USAGE_TENANT_LANES} tenants at once and more than one, each row its own tenant's sum`, async () => {
    const { reader, most } = slowReader();
    const answer = await usageRoute({ usage: reader, tenantIds: async () => [...ids].reverse(), now: () => Date.UTC(2026, 11, 1) })(event, { tenant: '', everyTenant: true });
    expect(most()).toBe(USAGE_TENANT_LANES);
    const rows = (answer as { tenants: Array<{ tenant: string; callbacks: number }> }).tenants;
    expect(rows.map((row) => row.tenant)).toEqual(['default', ...ids]);
    for (const row of rows.slice(1)) expect(row.callbacks).toBe(Number(row.tenant.slice(1)) * 100 + 30);
  });

  it('a tenant whose counters cannot be read fails the whole answer (no row silently zero)', async () => {
    const { reader } = slowReader('t17');
    await expect(usageRoute({ usage: reader, tenantIds: async () => ids, now: () => Date.UTC(2026, 11, 1) })(event, { tenant: '', everyTenant: true }))
      .rejects.toThrow('storage unavailable');
  });
});
