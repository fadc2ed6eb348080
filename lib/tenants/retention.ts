/**
 * A tenant's message retention as the write path sees it: the registry's `retentionDays`, else the
 * environment's default. Each tenant's answer (found or not) is remembered for `ttlMs`, so a busy function
 * reads the registry at most once per tenant per TTL (the tenant `default` is never in the registry: its
 * miss is cached like any answer).
 */
import { perTenantCache } from './per-tenant-cache';

export interface RetentionOptions {
  load: (tenant: string) => Promise<number | undefined>;
  fallback: number | undefined;
  ttlMs: number;
  now?: () => number;
}

export const buildTenantRetention = ({ load, fallback, ttlMs, now = Date.now }: RetentionOptions) =>
  perTenantCache((tenant) => load(tenant).then((found) => found ?? fallback), ttlMs, now);
