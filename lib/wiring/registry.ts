/**
 * The tenant registry as each function instance sees it: the adapters over the registry table and the
 * resolver with its per-instance cache (REGISTRY_CACHE_SECONDS, default 60). Closures only: a function
 * pays a registry read when it first resolves a token, key or app, never at cold start.
 */
import type { KeyKind } from '../api/admin';
import type { KeyOwner } from '../api/read-api';
import { buildPendingZaloStore, PENDING_LIMITS } from '../store/pending-zalo';
import { buildRegistryStore } from '../store/registry';
import { buildTenantResolver } from '../tenants/resolve';
import { open, seal, tokenKey } from '../seal';
import { envZaloApps } from './env-zalo-apps';
import { config, doc } from './shared';

export const registryStore = config.registryTable ? buildRegistryStore(doc, config.registryTable) : undefined;

export const pendingZaloStore = () => {
  if (!config.registryTable) throw new Error('missing required setting REGISTRY_TABLE');
  return buildPendingZaloStore(doc, config.registryTable, { ...PENDING_LIMITS, cap: config.zaloPendingCap });
};

/** Sealing of registry values with the token key (ZALO_TOKEN_KEY): read when first needed. */
export const sealRegistry = (plaintext: string, context: string) => seal(tokenKey(config.zaloTokenKey), plaintext, context);
export const openRegistry = (sealed: string, context: string) => open(tokenKey(config.zaloTokenKey), sealed, context);

export const resolver = buildTenantResolver({
  store: registryStore,
  env: () => config,
  open: openRegistry,
  cache: { ttlMs: config.registryCacheTtlMs },
});

/** Env apps first (tenant `default`), then the registry's. */
export const zaloAppDirectory = resolver.zaloDirectory(envZaloApps(() => config));

/** A read-API bearer key's owner: an admin key (reads `tenant=`), a tenant's key, or undefined. */
export const readKeyOwner = async (key: string | undefined): Promise<KeyOwner | undefined> => {
  const caller = await resolver.callerOfKey(key);
  if (!caller) return undefined;
  return caller.kind === 'admin' ? { admin: true } : { tenant: caller.tenant };
};

/** An admin route's bearer key: admin, a tenant's (403) or unknown (401). */
export const adminKeyKind = async (key: string | undefined): Promise<KeyKind> => {
  const caller = await resolver.callerOfKey(key);
  return caller === undefined ? undefined : caller.kind;
};
