/**
 * Whether a tenant is suspended, as the delivery function sees it: the registry's tenant item, each
 * tenant's answer remembered for `ttlMs` (a failed read is not remembered: the delivery fails and its
 * message comes back). A suspended tenant's deliveries wait (lib/destinations/deliver.ts).
 */
import { perTenantCache } from './per-tenant-cache';

export interface SuspensionOptions {
  load: (tenant: string) => Promise<boolean>;
  ttlMs: number;
  now?: () => number;
}

export const buildTenantSuspension = ({ load, ttlMs, now = Date.now }: SuspensionOptions) => perTenantCache(load, ttlMs, now);
