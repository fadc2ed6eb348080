/**
 * The tenant registry as each function instance sees it: the adapters over the registry table and the
 * resolver with its per-instance cache (REGISTRY_CACHE_SECONDS, default 60). Closures only: a function
 * pays a registry read when it first resolves a token, key or app, never at cold start.
 */
import type { KeyKind } from '../api/admin';
import { RequestError } from '../errors';
import type { KeyOwner } from '../api/read-api';
import { logger } from '../observability/telemetry';
import { buildCredentialUseStore } from '../store/credential-use';
import { buildPendingZaloStore, PENDING_LIMITS } from '../store/pending-zalo';
import { buildRegistryStore } from '../store/registry';
import { buildLastUsedRecorder } from '../tenants/last-used';
import { buildTenantResolver } from '../tenants/resolve';
import { open, seal, tokenKeyring } from '../seal';
import { envZaloApps } from './env-zalo-apps';
import { config, doc } from './shared';

export const registryStore = config.registryTable ? buildRegistryStore(doc, config.registryTable) : undefined;

export const pendingZaloStore = () => {
  if (!config.registryTable) throw new Error('missing required setting REGISTRY_TABLE');
  return buildPendingZaloStore(doc, config.registryTable, { ...PENDING_LIMITS, cap: config.zaloPendingCap });
};

/**
 * The local stack: secrets from the environment (no SSM path) and a local DynamoDB endpoint. Only there is
 * the public dev key (LOCAL_DEV_TOKEN_KEY) accepted; every function on a stage refuses it (issue 22 finding 15).
 */
const onLocalStack = () => config.secretsPath === undefined && config.dynamodbEndpoint !== undefined;

let ring: { setting: string | undefined; keys: Buffer[] } | undefined;
/**
 * The token key ring (ZALO_TOKEN_KEY, `<current>[,<previous>]`) as of now: read at each use, so a key rotated
 * in SSM is used by warm instances within the rotation window, with no restart (docs/operations.md).
 */
export const tokenKeys = (): readonly Buffer[] => {
  if (ring !== undefined && ring.setting === config.zaloTokenKey) return ring.keys;
  const keys = tokenKeyring(config.zaloTokenKey, { allowLocalDevKey: onLocalStack() });
  ring = { setting: config.zaloTokenKey, keys };
  return keys;
};

/** Sealing of registry values with the token key ring: the current key seals, any key opens. */
export const sealRegistry = (plaintext: string, context: string) => seal(tokenKeys, plaintext, context);
export const openRegistry = (sealed: string, context: string) => open(tokenKeys, sealed, context);

/** Last-used times of registry credentials (lib/tenants/last-used.ts); none without a registry table. */
export const recordCredentialUse = config.registryTable
  ? buildLastUsedRecorder({ store: buildCredentialUseStore(doc, config.registryTable), now: Date.now, log: logger })
  : undefined;

export const resolver = buildTenantResolver({
  store: registryStore,
  env: () => config,
  open: openRegistry,
  cache: { ttlMs: config.registryCacheTtlMs },
  ...(recordCredentialUse && { recordUse: recordCredentialUse }),
});

/** Env apps first (tenant `default`), then the registry's. */
export const zaloAppDirectory = resolver.zaloDirectory(envZaloApps(() => config));

/** A read-API bearer key's owner: an admin key (reads `tenant=`), a tenant's key, or undefined; a suspended tenant's key: 403. */
export const readKeyOwner = async (key: string | undefined): Promise<KeyOwner | undefined> => {
  const caller = await resolver.readerOfKey(key);
  if (!caller) return undefined;
  if (caller.kind === 'tenant' && caller.suspended) throw new RequestError(403, 'Authorization', `tenant ${caller.tenant} is suspended`);
  return caller.kind === 'admin' ? { admin: true } : { tenant: caller.tenant };
};

/** An admin route's bearer key: admin, a tenant's (403) or unknown (401). */
export const adminKeyKind = async (key: string | undefined): Promise<KeyKind> => {
  const caller = await resolver.callerOfKey(key);
  return caller === undefined ? undefined : caller.kind;
};
