/** GET /api/onboarding: the facts of the console's onboarding checklist (lib/api/checklist.ts). */
import { onboardingFacts } from '../api/checklist';
import { buildTokenStore } from '../store/oauth-tokens';
import { DEFAULT_TENANT } from '../table/names';
import { readApi } from './api';
import { withSecrets } from './lambda';
import { lazy } from './lazy';
import { config, doc } from './shared';

// The environment's settings are the tenant `default`'s (contract: Tenants); other tenants have none here yet.
const ownOf = <T>(tenant: string, value: T, none: T): T => (tenant === DEFAULT_TENANT ? value : none);

export const onboardingHandler = lazy(() => {
  const tokens = buildTokenStore(doc, config.messagesTable);
  return withSecrets(['zalo-apps', 'esms-callback-tokens'], readApi(onboardingFacts({
    siteVerificationCodes: () => config.zaloSiteVerification,
    zaloApps: async (tenant) => ownOf(tenant, Object.entries(config.zaloApps).map(([appId, secret]) => ({ appId, secretSet: secret !== '' })), []),
    esmsTokenCount: async (tenant) => ownOf(tenant, config.esmsTokens.length, 0),
    connectedOas: async (tenant) => (await tokens.expiringBefore(Number.MAX_SAFE_INTEGER)).filter((record) => record.tenant === tenant),
  }, Date.now)));
});
