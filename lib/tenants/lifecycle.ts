/**
 * A tenant's lifecycle (issue 23): its credential inventory and its suspension. The inventory comes from the
 * tenant's credential index (lib/table/registry.ts `T#<tenant>#CRED`), each Zalo app read for whether it has
 * its key; no secret, hash or sealed value ever leaves here. Suspension is copied onto each API key's own
 * item, which every request reads uncached (lib/tenants/resolve.ts), so it takes effect on the next request.
 */
import { RequestError } from '../errors';
import type { RegistryStore, Tenant, TenantChange } from './ports';

/** A destination as the inventory shows it (the destinations domain's store, narrowed). */
export interface DestinationSummary {
  id: string;
  enabled: boolean;
  createdAt: number;
}

export interface LifecycleDeps {
  store: Pick<RegistryStore, 'getTenant' | 'updateTenant' | 'listTenantCredentials' | 'getZaloApp' | 'setKeySuspended'>;
  destinations: (tenant: string) => Promise<DestinationSummary[]>;
}

export interface TenantInventory {
  tenant: Tenant;
  /** `lastUsedAt`: when a request last authenticated with it, to the hour (lib/tenants/last-used.ts). */
  apiKeys: Array<{ keyId: string; createdAt: number; lastUsedAt: number | undefined }>;
  esmsTokens: Array<{ tokenId: string; createdAt: number; lastUsedAt: number | undefined }>;
  /** `lastUsedAt`: its last webhook request whose signature verified. */
  zaloApps: Array<{ appId: string; createdAt: number; lastUsedAt: number | undefined; hasKey: boolean; hasAppSecret: boolean; pendingKept: number }>;
  destinations: DestinationSummary[];
}

const existing = async (deps: Pick<LifecycleDeps, 'store'>, id: string): Promise<Tenant> => {
  const tenant = await deps.store.getTenant(id);
  if (!tenant) throw new RequestError(404, 'id', `no tenant ${id}`);
  return tenant;
};

export const tenantInventory = async (deps: LifecycleDeps, id: string): Promise<TenantInventory> => {
  const tenant = await existing(deps, id);
  const [index, destinations] = await Promise.all([deps.store.listTenantCredentials(id), deps.destinations(id)]);
  const byId = (kind: string) => index.filter((entry) => entry.kind === kind).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const apps = await Promise.all(byId('zalo-app').map(async (entry) => ({ entry, app: await deps.store.getZaloApp(entry.id) })));
  return {
    tenant,
    apiKeys: byId('api-key').map((entry) => ({ keyId: entry.id, createdAt: entry.createdAt, lastUsedAt: entry.lastUsedAt })),
    esmsTokens: byId('esms-token').map((entry) => ({ tokenId: entry.id, createdAt: entry.createdAt, lastUsedAt: entry.lastUsedAt })),
    // An index entry whose app now belongs to another tenant (or is gone) is not this tenant's.
    zaloApps: apps.filter(({ app }) => app?.tenant === id).map(({ entry, app }) => ({
      appId: entry.id, createdAt: entry.createdAt, lastUsedAt: entry.lastUsedAt, hasKey: app!.oaSecretKey !== undefined, hasAppSecret: app!.appSecret !== undefined, pendingKept: app!.pendingKept,
    })),
    destinations,
  };
};

/**
 * Applies `change`. With `suspended`, the tenant item is written first, then each API key of its index:
 * a key created meanwhile checks the tenant's `suspended` in its own transaction, so none is missed.
 */
export const updateTenant = async (deps: LifecycleDeps, id: string, change: TenantChange): Promise<{ tenant: Tenant; keysChanged: number }> => {
  const tenant = await deps.store.updateTenant(id, change);
  if (!tenant) throw new RequestError(404, 'id', `no tenant ${id}`);
  if (change.suspended === undefined) return { tenant, keysChanged: 0 };
  const keys = (await deps.store.listTenantCredentials(id)).filter((entry) => entry.kind === 'api-key');
  const changed = await Promise.all(keys.map((key) => deps.store.setKeySuspended(key.id, id, change.suspended!)));
  return { tenant, keysChanged: changed.filter(Boolean).length };
};
