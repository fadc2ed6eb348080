/**
 * The tenants a scheduled job covers (reconciliation, the late-report sweep): the environment's `default`
 * first, then the registry's. Without a registry table only `default` exists.
 */
import { DEFAULT_TENANT } from '../table/names';
import type { RegistryStore } from './ports';

export const tenantsToCover = async (registry: Pick<RegistryStore, 'listTenants'> | undefined): Promise<string[]> => {
  const registered = registry === undefined ? [] : await registry.listTenants();
  return [DEFAULT_TENANT, ...registered.map((tenant) => tenant.id).filter((id) => id !== DEFAULT_TENANT)];
};

