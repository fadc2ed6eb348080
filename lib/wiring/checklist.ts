/** GET /api/onboarding: the facts of the console's onboarding checklist (lib/api/checklist.ts). */
import { onboardingFacts, type OnboardingApp } from '../api/checklist';
import { buildReadApi } from '../api/read-api';
import { buildTokenStore } from '../store/oauth-tokens';
import { DEFAULT_TENANT } from '../table/names';
import { withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner, registryStore } from './registry';
import { config, doc } from './shared';

const isDefault = (tenant: string) => tenant === DEFAULT_TENANT;
// The read API's key check, with this route's settings secrets read in the same one SSM request.
const keyed = buildReadApi(readKeyOwner);

export const onboardingHandler = lazy(() => {
  const tokens = buildTokenStore(doc, config.messagesTable);
  const registry = registryStore;
  return withSecrets(['api-keys', 'admin-api-keys', 'zalo-apps', 'esms-callback-tokens'], keyed(onboardingFacts({
    // The environment's settings are the tenant `default`'s; the registry's belong to their tenant.
    siteVerificationCodes: async (tenant) => [
      ...(isDefault(tenant) ? config.zaloSiteVerification : []),
      ...(registry ? (await registry.listSiteCodes()).filter((entry) => entry.tenant === tenant).map((entry) => entry.code) : []),
    ],
    zaloApps: async (tenant, appIds) => {
      const env: OnboardingApp[] = isDefault(tenant) ? Object.entries(config.zaloApps).map(([appId, secret]) => ({ appId, secretSet: secret !== '' })) : [];
      const known = new Set(env.map((app) => app.appId));
      const stored = registry ? await Promise.all(appIds.filter((id) => !known.has(id)).map((id) => registry.getZaloApp(id))) : [];
      return [...env, ...stored.flatMap((app) => (app && app.tenant === tenant ? [{ appId: app.appId, secretSet: app.oaSecretKey !== undefined, pendingKept: app.pendingKept }] : []))];
    },
    // Registry tokens are kept by id with no per-tenant list: only the settings' can be counted.
    esmsTokenCount: async (tenant) => (isDefault(tenant) ? config.esmsTokens.length : null),
    connectedOas: async (tenant) => (await tokens.expiringBefore(Number.MAX_SAFE_INTEGER)).filter((record) => record.tenant === tenant),
  }, Date.now)));
});
