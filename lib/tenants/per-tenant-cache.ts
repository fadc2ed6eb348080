/**
 * A tenant's answer remembered for `ttlMs` (found or not), so a busy function reads the registry at most once
 * per tenant per TTL; a failed read is not remembered (the next call tries again).
 */
export const perTenantCache = <T>(load: (tenant: string) => Promise<T>, ttlMs: number, now: () => number = Date.now) => {
  const cache = new Map<string, { value: Promise<T>; until: number }>();
  return (tenant: string): Promise<T> => {
    const hit = cache.get(tenant);
    if (hit && hit.until > now()) return hit.value;
    const value = load(tenant);
    value.catch(() => cache.delete(tenant));
    cache.set(tenant, { value, until: now() + ttlMs });
    return value;
  };
};
