/**
 * Who a request belongs to: an eSMS path token → tenant, a bearer key → caller, a Zalo app id → app. The
 * environment's settings come first (tenant `default`, constant-time), then the registry, through a cache
 * per instance (lib/tenants/cache.ts):
 * - eSMS tokens: found ones trusted for the TTL (a revoked token works up to the TTL on a warm instance);
 * - API keys: found ones never cached, so a revoked key fails on the very next request (the contract's
 *   "revokes it at once"), and so does a key of a tenant suspended meanwhile (its item carries `suspended`);
 * - Zalo apps: found ones (with their key) trusted for the TTL; pending ones read again on every request.
 * Unknown names are remembered per name: a credential id for the TTL (ids are 64 random bits, so an id
 * nobody has created cannot start to exist later, and a revoked one stays revoked), an app id for one
 * second (an app registered a moment ago works at once). No name is ever refused without being read.
 * A registry token that matches, and a registry key a read route accepts, are recorded as used
 * (`recordUse`, lib/tenants/last-used.ts: about once an hour, never failing the request).
 */
import { matchesHash, ownerOfSecret } from '../secret-compare';
import { DEFAULT_TENANT } from '../table/names';
import { SEAL_CONTEXT } from '../table/registry';
import type { ZaloApp, ZaloAppDirectory } from '../zalo/ports';
import { buildRegistryCache, type RegistryCacheOptions } from './cache';
import { splitCredential } from './credentials';
import type { RecordUse } from './last-used';
import type { RegistryStore, StoredCredential } from './ports';

/** An app id nobody registered is remembered this long: one registered a moment ago works at once. */
const APP_MISS_TTL_MS = 1000;

export interface EnvCredentials {
  esmsTokens: readonly string[];
  apiKeys: readonly string[];
  adminApiKeys: readonly string[];
}

/** `suspended`: a key of a suspended tenant (the read API answers 403). */
export type Caller = { kind: 'admin' } | { kind: 'tenant'; tenant: string; suspended?: true };

export interface ResolverDeps {
  /** undefined: no registry table (the environment's tenant only). */
  store: Pick<RegistryStore, 'getCredential' | 'getZaloApp'> | undefined;
  env: () => EnvCredentials;
  /** Opens a sealed registry value (lib/seal.ts with the token key). */
  open: (sealed: string, context: string) => string;
  cache: RegistryCacheOptions;
  /** Records a registry credential's use; absent: nothing is recorded. */
  recordUse?: RecordUse;
}

export const buildTenantResolver = (deps: ResolverDeps) => {
  const { ttlMs, ...rest } = deps.cache;
  const tokens = buildRegistryCache<StoredCredential>({ ...rest, ttlMs, missTtlMs: ttlMs });
  const apiKeys = buildRegistryCache<StoredCredential>({ ...rest, ttlMs: 0, missTtlMs: ttlMs });
  const apps = buildRegistryCache<ZaloApp>({ ...rest, ttlMs, missTtlMs: APP_MISS_TTL_MS });

  const tenantOfToken = async (token: string | undefined): Promise<string | undefined> => {
    const fromEnv = ownerOfSecret(token, deps.env().esmsTokens.map((secret) => [secret, DEFAULT_TENANT] as const));
    if (fromEnv !== undefined) return fromEnv;
    const parts = splitCredential('esms-token', token);
    if (!parts || !deps.store) return undefined;
    const store = deps.store;
    const stored = await tokens.get(parts.id, () => store.getCredential('esms-token', parts.id));
    if (!stored || !matchesHash(parts.secret, stored.hash)) return undefined;
    await deps.recordUse?.({ tenant: stored.tenant, kind: 'esms-token', id: parts.id });
    return stored.tenant;
  };

  const lookUpKey = async (key: string | undefined): Promise<{ caller: Caller; keyId?: string } | undefined> => {
    const env = deps.env();
    const fromEnv = ownerOfSecret<Caller>(key, [
      ...env.adminApiKeys.map((secret) => [secret, { kind: 'admin' }] as const),
      ...env.apiKeys.map((secret) => [secret, { kind: 'tenant', tenant: DEFAULT_TENANT }] as const),
    ]);
    if (fromEnv !== undefined) return { caller: fromEnv };
    const parts = splitCredential('api-key', key);
    if (!parts || !deps.store) return undefined;
    const store = deps.store;
    const stored = await apiKeys.get(parts.id, () => store.getCredential('api-key', parts.id));
    if (!stored || !matchesHash(parts.secret, stored.hash)) return undefined;
    return { caller: { kind: 'tenant', tenant: stored.tenant, ...(stored.suspended === true && { suspended: true as const }) }, keyId: parts.id };
  };

  /** The caller of a bearer key, recording nothing (admin routes: a tenant's key is refused there). */
  const callerOfKey = async (key: string | undefined): Promise<Caller | undefined> => (await lookUpKey(key))?.caller;

  /** The caller of a read route's bearer key; a registry key of a tenant not suspended is recorded as used. */
  const readerOfKey = async (key: string | undefined): Promise<Caller | undefined> => {
    const found = await lookUpKey(key);
    if (found?.keyId !== undefined && found.caller.kind === 'tenant' && !found.caller.suspended) {
      await deps.recordUse?.({ tenant: found.caller.tenant, kind: 'api-key', id: found.keyId });
    }
    return found?.caller;
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

  return { tenantOfToken, callerOfKey, readerOfKey, zaloDirectory, reads: () => tokens.reads + apiKeys.reads + apps.reads };
};

export type TenantResolver = ReturnType<typeof buildTenantResolver>;
