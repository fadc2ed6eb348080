/** GET /api/usage (lib/api/usage.ts): the usage counters in the counters table, the tenants from the registry. */
import { buildReadApi } from '../api/read-api';
import { usageRoute } from '../api/usage';
import { buildUsageReader } from '../store/usage';
import { withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner, registryStore } from './registry';
import { config, doc } from './shared';

const keyed = buildReadApi(readKeyOwner);

export const usageHandler = lazy(() => withSecrets(['api-keys', 'admin-api-keys'], keyed(usageRoute({
  usage: buildUsageReader(doc, config.countersTable),
  tenantIds: async () => (registryStore ? (await registryStore.listTenants()).map((tenant) => tenant.id) : []),
  now: Date.now,
}), { everyTenant: true })));
