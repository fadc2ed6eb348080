/**
 * Whether a tenant is suspended, as the delivery function sees it: the registry's tenant item, each
 * tenant's answer remembered for `ttlMs` (a failed read is not remembered: the delivery fails and its
 * message comes back). A suspended tenant's deliveries wait (lib/destinations/deliver.ts).
 */
export interface SuspensionOptions {
  load: (tenant: string) => Promise<boolean>;
  ttlMs: number;
  now?: () => number;
}

export const buildTenantSuspension = ({ load, ttlMs, now = Date.now }: SuspensionOptions) => {
  const cache = new Map<string, { suspended: Promise<boolean>; until: number }>();
  return (tenant: string): Promise<boolean> => {
    const hit = cache.get(tenant);
    if (hit && hit.until > now()) return hit.suspended;
    const suspended = load(tenant);
    suspended.catch(() => cache.delete(tenant));
    cache.set(tenant, { suspended, until: now() + ttlMs });
    return suspended;
  };
};
