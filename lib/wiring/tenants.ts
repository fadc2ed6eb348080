/**
 * Wiring of the tenant registry's admin routes (one function each). Every handler is admin-key only; the
 * Zalo app routes also drain the app's pending requests through the webhook's own ingestion.
 */
import { buildAdminApi, type AdminHandler } from '../api/admin';
import {
  createApiKeyRoute, createEsmsTokenRoute, createTenantRoute, deleteSiteCodeRoute, deleteZaloAppRoute, drainZaloAppRoute, listTenantsRoute,
  putEsmsAccountRoute, putSiteCodeRoute, putZaloAppRoute, revokeApiKeyRoute, revokeEsmsTokenRoute,
} from '../api/tenants';
import { deleteTenantRoute, getTenantRoute, patchTenantRoute } from '../api/tenant-lifecycle';
import { BODY_LIMITS } from '../http/limits';
import { buildDestinationStore } from '../store/destinations';
import { buildOffboardStore } from '../store/tenant-offboard';
import type { LifecycleDeps } from '../tenants/lifecycle';
import { logger, telemetry } from '../observability/telemetry';
import { buildZaloEventStore } from '../store/zalo-events';
import { buildZaloStateStore } from '../store/zalo-state';
import type { AdminDeps } from '../tenants/admin';
import { buildAppDrainer } from '../tenants/drain';
import { buildZaloVerifiedIngest } from '../inbound/zalo';
import type { SecretName } from '../config/secrets';
import { envZaloApps } from './env-zalo-apps';
import { budgetFromNow, withBodyLimit, withSecrets } from './lambda';
import { lazy } from './lazy';
import { adminKeyKind, openRegistry, pendingZaloStore, registryStore, sealRegistry, zaloAppDirectory } from './registry';
import { config, doc, rejectedStore } from './shared';

const ADMIN_SECRETS: SecretName[] = ['admin-api-keys', 'api-keys'];
// HTTP APIs give an integration 30 s: a drain stops at 25 s and answers `incomplete` (POST …/drain goes on).
const DRAIN_BUDGET_MS = 25_000;

/** The apps the settings configure (tenant `default`): read at request time, so a key rotated in SSM counts. */
const settingsApps = envZaloApps(() => config);

const deps = (): AdminDeps => {
  if (!registryStore) throw new Error('missing required setting REGISTRY_TABLE');
  return {
    store: registryStore, seal: sealRegistry, now: Date.now,
    configuredApp: (appId) => Object.hasOwn(config.zaloApps, appId) || Object.hasOwn(config.zaloAppSecrets, appId),
  };
};

const admin = (build: () => AdminHandler, secrets: SecretName[] = ADMIN_SECRETS) =>
  lazy(() => withBodyLimit(BODY_LIMITS.replay, withSecrets(secrets, buildAdminApi(adminKeyKind)(build()))));

/** Verifies with the app's key as of each request's arrival, and stores through the webhook's ingestion. */
const drainer = () => {
  const pending = pendingZaloStore();
  const ingest = buildZaloVerifiedIngest({
    events: buildZaloEventStore(doc, config.messagesTable), state: buildZaloStateStore(doc, config.messagesTable), rejected: rejectedStore, telemetry, log: logger,
  });
  return buildAppDrainer({ registry: deps().store, settingsApps, pending, open: openRegistry, ingest, budget: () => budgetFromNow(DRAIN_BUDGET_MS), log: logger });
};

const SEALING_SECRETS: SecretName[] = [...ADMIN_SECRETS, 'zalo-token-key'];
// zalo-apps and zalo-app-secrets: the settings' apps, which the registry must not take and whose pending requests drain too.
const ZALO_SECRETS: SecretName[] = [...SEALING_SECRETS, 'zalo-apps', 'zalo-app-secrets'];

export const createTenantHandler = admin(() => createTenantRoute(deps()));
export const listTenantsHandler = admin(() => listTenantsRoute(deps()));
export const createApiKeyHandler = admin(() => createApiKeyRoute(deps()));
export const revokeApiKeyHandler = admin(() => revokeApiKeyRoute(deps()));
export const createEsmsTokenHandler = admin(() => createEsmsTokenRoute(deps(), config.publicBaseUrl));
export const revokeEsmsTokenHandler = admin(() => revokeEsmsTokenRoute(deps()));
export const putZaloAppHandler = admin(() => putZaloAppRoute(deps(), drainer()), ZALO_SECRETS);
export const drainZaloAppHandler = admin(() => drainZaloAppRoute(zaloAppDirectory, drainer()), ZALO_SECRETS);
export const putEsmsAccountHandler = admin(() => putEsmsAccountRoute(deps()), SEALING_SECRETS);
export const putSiteCodeHandler = admin(() => putSiteCodeRoute(deps()));
export const deleteSiteCodeHandler = admin(() => deleteSiteCodeRoute(deps()));

const lifecycle = (): LifecycleDeps => {
  const destinations = buildDestinationStore(doc, config.messagesTable);
  return {
    store: deps().store,
    destinations: async (tenant) => (await destinations.list(tenant)).map(({ id, enabled, createdAt }) => ({ id, enabled, createdAt })),
  };
};

export const getTenantHandler = admin(() => getTenantRoute(lifecycle()));
export const patchTenantHandler = admin(() => patchTenantRoute(lifecycle()));

/** Deletions one DELETE call makes at most, and the time it stops at (the HTTP API gives 30 s). */
const OFFBOARD_BUDGET = { items: 2000, ms: 20_000 };

export const deleteTenantHandler = admin(() => {
  if (!config.registryTable) throw new Error('missing required setting REGISTRY_TABLE');
  const store = buildOffboardStore(doc, { registry: config.registryTable, messages: config.messagesTable, counters: config.countersTable });
  return (event) => {
    const inTime = budgetFromNow(OFFBOARD_BUDGET.ms);
    return deleteTenantRoute({ store, budgetItems: OFFBOARD_BUDGET.items, outOfTime: () => !inTime(), now: Date.now, settleMs: config.offboardSettleMs })(event);
  };
});

/** Items one DELETE …/zalo-apps/{appId} call removes at most (what a pending app kept can be thousands). */
const APP_REMOVAL_ITEMS = 2000;

export const deleteZaloAppHandler = admin(() => {
  if (!config.registryTable) throw new Error('missing required setting REGISTRY_TABLE');
  return deleteZaloAppRoute(buildOffboardStore(doc, { registry: config.registryTable, messages: config.messagesTable, counters: config.countersTable }), APP_REMOVAL_ITEMS);
});
