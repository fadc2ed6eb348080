/**
 * A tenant's eSMS account, which reconciliation pulls with: the tenant `default`'s comes from the settings
 * (ESMS_API_KEY, ESMS_SECRET_KEY), another tenant's from the registry, where `setEsmsAccount`
 * (lib/tenants/admin.ts) sealed it bound to that tenant.
 */
import * as v from 'valibot';
import type { EsmsAccount } from '../reconcile/ports';
import { DEFAULT_TENANT } from '../table/names';
import { SEAL_CONTEXT } from '../table/registry';
import type { RegistryStore } from './ports';

/** What `setEsmsAccount` seals. */
export const SealedEsmsAccountSchema = v.object({ apiKey: v.string(), secretKey: v.string() });

export interface EsmsAccountSources {
  /** The settings' account (tenant `default`), if any. */
  defaultAccount: EsmsAccount | undefined;
  /** Undefined without a registry table: then only `default` has an account. */
  registry: Pick<RegistryStore, 'getEsmsAccount'> | undefined;
  /** Opens a sealed registry value (throws when it was not sealed for `context`). */
  open: (sealed: string, context: string) => string;
}

/** `tenant`'s account, or undefined when it has none (reconciliation then skips it, or answers 409). */
export const buildEsmsAccountLookup = (sources: EsmsAccountSources) => async (tenant: string): Promise<EsmsAccount | undefined> => {
  if (tenant === DEFAULT_TENANT) return sources.defaultAccount;
  const sealed = await sources.registry?.getEsmsAccount(tenant);
  if (sealed === undefined) return undefined;
  return v.parse(SealedEsmsAccountSchema, JSON.parse(sources.open(sealed, SEAL_CONTEXT.esmsAccount(tenant))));
};
