/**
 * A tenant's message retention as the write path sees it: the registry's `retentionDays`, else the
 * environment's default. Each tenant's answer (found or not) is remembered for `ttlMs`, so a busy function
 * reads the registry at most once per tenant per TTL (the tenant `default` is never in the registry: its
 * miss is cached like any answer).
 */
export interface RetentionOptions {
  load: (tenant: string) => Promise<number | undefined>;
  fallback: number | undefined;
  ttlMs: number;
  now?: () => number;
}

export const buildTenantRetention = ({ load, fallback, ttlMs, now = Date.now }: RetentionOptions) => {
  const cache = new Map<string, { days: Promise<number | undefined>; until: number }>();
  return (tenant: string): Promise<number | undefined> => {
    const hit = cache.get(tenant);
    if (hit && hit.until > now()) return hit.days;
    const days = load(tenant).then((found) => found ?? fallback);
    // A failed read is not remembered: the next callback tries again (and answers 503 meanwhile).
    days.catch(() => cache.delete(tenant));
    cache.set(tenant, { days, until: now() + ttlMs });
    return days;
  };
};
