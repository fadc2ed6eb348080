/**
 * The facts of a tenant's set-up that the console's onboarding checklist shows (GET /api/onboarding), read
 * from where they live: the settings are the tenant `default`'s, the registry's entries belong to their
 * tenant, and connected OAs are the stored OAuth tokens (which stay sealed).
 */
import { DEFAULT_TENANT } from '../table/names';
import type { TokenStore } from '../zalo-oa/ports';
import type { RegistryStore } from './ports';

export interface OnboardingApp {
  appId: string;
  secretSet: boolean;
  /** Webhook requests kept while the key was missing (registry apps only). */
  pendingKept?: number;
}

export interface ConnectedOa {
  oaId: string;
  appId: string;
  connectedAt: number;
  accessExpiresAt: number;
}

export interface OnboardingFacts {
  /** The tenant's domain-verification codes (public meta tags on GET /). */
  siteVerificationCodes: (tenant: string) => Promise<string[]>;
  /** The tenant's Zalo apps among the settings' and `appIds` (the registry looks apps up by id only). */
  zaloApps: (tenant: string, appIds: readonly string[]) => Promise<OnboardingApp[]>;
  /** How many eSMS callback tokens the tenant has; null when the store cannot count them. */
  esmsTokenCount: (tenant: string) => Promise<number | null>;
  /** The tenant's OAs that granted permission. */
  connectedOas: (tenant: string) => Promise<ConnectedOa[]>;
}

export interface OnboardingSources {
  /** The settings' codes, apps (app id → OA Secret Key) and eSMS tokens: the tenant `default`'s. */
  env: () => { zaloSiteVerification: readonly string[]; zaloApps: Readonly<Record<string, string>>; esmsTokens: readonly string[] };
  /** Undefined without a registry table. */
  registry: Pick<RegistryStore, 'listSiteCodes' | 'getZaloApp'> | undefined;
  tokens: Pick<TokenStore, 'expiringBefore'>;
}

export const buildOnboardingFacts = ({ env, registry, tokens }: OnboardingSources): OnboardingFacts => {
  const isDefault = (tenant: string) => tenant === DEFAULT_TENANT;
  return {
    siteVerificationCodes: async (tenant) => [
      ...(isDefault(tenant) ? env().zaloSiteVerification : []),
      ...(registry ? (await registry.listSiteCodes()).filter((entry) => entry.tenant === tenant).map((entry) => entry.code) : []),
    ],
    zaloApps: async (tenant, appIds) => {
      const settings: OnboardingApp[] = isDefault(tenant) ? Object.entries(env().zaloApps).map(([appId, secret]) => ({ appId, secretSet: secret !== '' })) : [];
      const known = new Set(settings.map((app) => app.appId));
      const stored = registry ? await Promise.all(appIds.filter((id) => !known.has(id)).map((id) => registry.getZaloApp(id))) : [];
      return [...settings, ...stored.flatMap((app) => (app && app.tenant === tenant ? [{ appId: app.appId, secretSet: app.oaSecretKey !== undefined, pendingKept: app.pendingKept }] : []))];
    },
    // Registry tokens are kept by id with no per-tenant list: only the settings' can be counted.
    esmsTokenCount: async (tenant) => (isDefault(tenant) ? env().esmsTokens.length : null),
    connectedOas: async (tenant) => (await tokens.expiringBefore(Number.MAX_SAFE_INTEGER)).filter((record) => record.tenant === tenant),
  };
};
