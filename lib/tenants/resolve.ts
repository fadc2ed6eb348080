/**
 * Who a request belongs to: an eSMS path token → tenant, a bearer key → caller, a Zalo app id → app. The
 * environment's settings come first (tenant `default`, constant-time), then the registry. Tokens and apps
 * are cached per instance (lib/tenants/cache.ts); API keys are read on every request so a revoked key
 * fails on the very next one (the read API is not the hot path: one GetItem per request).
 */
import { matchesHash, ownerOfSecret } from '../secret-compare';
import { DEFAULT_TENANT } from '../table/names';
import { SEAL_CONTEXT } from '../table/registry';
import type { ZaloApp, ZaloAppDirectory } from '../zalo/ports';
import { buildRegistryCache, type RegistryCacheOptions } from './cache';
import { splitCredential } from './credentials';
import type { RegistryStore } from './ports';

export interface EnvCredentials {
  esmsTokens: readonly string[];
  apiKeys: readonly string[];
  adminApiKeys: readonly string[];
}

export type Caller = { kind: 'admin' } | { kind: 'tenant'; tenant: string };

export interface ResolverDeps {
  /** undefined: no registry table (the environment's tenant only). */
  store: Pick<RegistryStore, 'getCredential' | 'getZaloApp'> | undefined;
  env: () => EnvCredentials;
  /** Opens a sealed registry value (lib/seal.ts with the token key). */
  open: (sealed: string, context: string) => string;
  cache: RegistryCacheOptions;
}

export const buildTenantResolver = (deps: ResolverDeps) => {
  const tokens = buildRegistryCache<{ tenant: string; hash: string }>(deps.cache);
  const apps = buildRegistryCache<ZaloApp>(deps.cache);

  const tenantOfToken = async (token: string | undefined): Promise<string | undefined> => {
    const fromEnv = ownerOfSecret(token, deps.env().esmsTokens.map((secret) => [secret, DEFAULT_TENANT] as const));
    if (fromEnv !== undefined) return fromEnv;
    const parts = splitCredential('esms-token', token);
    if (!parts || !deps.store) return undefined;
    const store = deps.store;
    const stored = await tokens.get(parts.id, () => store.getCredential('esms-token', parts.id));
    return stored && matchesHash(parts.secret, stored.hash) ? stored.tenant : undefined;
  };

  const callerOfKey = async (key: string | undefined): Promise<Caller | undefined> => {
    const env = deps.env();
    const fromEnv = ownerOfSecret<Caller>(key, [
      ...env.adminApiKeys.map((secret) => [secret, { kind: 'admin' }] as const),
      ...env.apiKeys.map((secret) => [secret, { kind: 'tenant', tenant: DEFAULT_TENANT }] as const),
    ]);
    if (fromEnv !== undefined) return fromEnv;
    const parts = splitCredential('api-key', key);
    if (!parts || !deps.store) return undefined;
    const stored = await deps.store.getCredential('api-key', parts.id);
    return stored && matchesHash(parts.secret, stored.hash) ? { kind: 'tenant', tenant: stored.tenant } : undefined;
  };

  const loadApp = async (appId: string): Promise<ZaloApp | undefined> => {
    const stored = await deps.store!.getZaloApp(appId);
    if (!stored) return undefined;
    return {
      appId,
      tenant: stored.tenant,
      secret: stored.oaSecretKey === undefined ? undefined : deps.open(stored.oaSecretKey, SEAL_CONTEXT.oaSecretKey(appId)),
      appSecret: stored.appSecret === undefined ? undefined : deps.open(stored.appSecret, SEAL_CONTEXT.appSecret(appId)),
    };
  };

  /** The registry's apps behind `fallback` (the environment's, which win). */
  const zaloDirectory = (fallback: ZaloAppDirectory): ZaloAppDirectory => ({
    async find(appId) {
      const fromEnv = await fallback.find(appId);
      if (fromEnv !== undefined || !deps.store || !/^[A-Za-z0-9_-]{1,64}$/.test(appId)) return fromEnv;
      const app = await apps.get(appId, () => loadApp(appId));
      // A pending app is read again on its next request, so a key configured meanwhile is used at once.
      if (app && app.secret === undefined) apps.forget(appId);
      return app;
    },
  });

  return { tenantOfToken, callerOfKey, zaloDirectory, reads: () => tokens.reads + apps.reads };
};

export type TenantResolver = ReturnType<typeof buildTenantResolver>;
