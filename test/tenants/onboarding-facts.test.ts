/** Where each checklist fact comes from (lib/tenants/onboarding-facts.ts): settings are `default`'s, registry entries their tenant's. */
import { describe, expect, it } from 'vitest';
import { KIND } from '../../lib/table/names';
import type { TokenRecord } from '../../lib/table/oauth';
import type { StoredZaloApp } from '../../lib/tenants/ports';
import { buildOnboardingFacts } from '../../lib/tenants/onboarding-facts';

const app = (appId: string, tenant: string, oaSecretKey?: string): StoredZaloApp => ({
  appId, tenant, oaSecretKey, appSecret: undefined, pendingKept: 3, drainedIngested: 0, drainedDiscarded: 0,
});
const token = (tenant: string, oaId: string): TokenRecord => ({
  kind: KIND.oauth, tenant, oaId, appId: '77', access: 'sealed', refresh: 'sealed', accessExpiresAt: 2, connectedAt: 1, refreshedAt: 1, ver: 1,
});

const facts = buildOnboardingFacts({
  env: () => ({ zaloSiteVerification: ['env-code'], zaloApps: { 11: 'oa-secret', 12: '' }, esmsTokens: ['t1', 't2'] }),
  registry: {
    listSiteCodes: async () => [{ code: 'acme-code', tenant: 'acme' }, { code: 'default-code', tenant: 'default' }],
    getZaloApp: async (appId) => ({ 21: app('21', 'acme', 'sealed'), 22: app('22', 'beta') } as Record<string, StoredZaloApp>)[appId],
  },
  tokens: { expiringBefore: async () => [token('acme', 'oa-a'), token('default', 'oa-d')] },
});

describe('buildOnboardingFacts', () => {
  it('site codes: the settings\' and the registry\'s for `default`, only the registry\'s own for another tenant', async () => {
    expect(await facts.siteVerificationCodes('default')).toEqual(['env-code', 'default-code']);
    expect(await facts.siteVerificationCodes('acme')).toEqual(['acme-code']);
  });

  it('apps: the settings\' belong to `default`; a registry app asked for is shown only to its own tenant', async () => {
    expect(await facts.zaloApps('default', ['11', '21'])).toEqual([{ appId: '11', secretSet: true }, { appId: '12', secretSet: false }]);
    expect(await facts.zaloApps('acme', ['21', '22', '99'])).toEqual([{ appId: '21', secretSet: true, pendingKept: 3 }]);
  });

  it('eSMS tokens are counted for `default` only (the registry keeps them by id), OAs per tenant', async () => {
    expect(await facts.esmsTokenCount('default')).toBe(2);
    expect(await facts.esmsTokenCount('acme')).toBeNull();
    expect((await facts.connectedOas('acme')).map((oa) => oa.oaId)).toEqual(['oa-a']);
  });

  it('without a registry table only the settings count', async () => {
    const bare = buildOnboardingFacts({ env: () => ({ zaloSiteVerification: [], zaloApps: {}, esmsTokens: [] }), registry: undefined, tokens: { expiringBefore: async () => [] } });
    expect(await bare.siteVerificationCodes('acme')).toEqual([]);
    expect(await bare.zaloApps('acme', ['21'])).toEqual([]);
  });
});
