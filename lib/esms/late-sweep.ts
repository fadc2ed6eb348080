/**
 * The late-report policy: a message with no final status LATE_REPORT_HOURS after it was first seen
 * becomes `expired` (its own status in views and reports). A later final callback still wins; a later
 * non-final one leaves it expired. Runs on a schedule over the heads that crossed the threshold since the
 * last run (with an overlap), and on demand over any window.
 */
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import { daysBetween, vietnamDay } from '../time';
import type { EsmsMessageStore } from './ports';
import { currentState } from './state';

export interface LateSweepResult {
  checked: number;
  expired: number;
}

export interface LateSweepDeps {
  store: Pick<EsmsMessageStore, 'headsOfDay' | 'expire'>;
  now: () => number;
  lateHours: number;
}

/** Expires every not-final message of `tenant` first seen in [fromMs, toMs] that is past the threshold. */
export const sweepLate = async (deps: LateSweepDeps, tenant: string, window?: { fromMs: number; toMs: number }): Promise<LateSweepResult> => {
  const now = deps.now();
  const threshold = now - deps.lateHours * 3600_000;
  // By default: everything that crossed the threshold in the last 26 hours (a daily run, and hourly ones, overlap).
  const fromMs = window?.fromMs ?? threshold - 26 * 3600_000;
  const toMs = Math.min(window?.toMs ?? threshold, threshold);
  const result: LateSweepResult = { checked: 0, expired: 0 };
  if (toMs < fromMs) return result;
  for (const day of daysBetween(vietnamDay(fromMs), vietnamDay(toMs))) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.headsOfDay(tenant, day, 200, cursor, [fromMs, toMs]);
      for (const head of page.heads) {
        result.checked += 1;
        const state = currentState(head);
        if (state?.final || head.x !== undefined) continue;
        if (await deps.store.expire(tenant, head.smsId, now)) result.expired += 1;
      }
      cursor = page.next;
    } while (cursor);
  }
  return result;
};

export interface SweepEveryTenantDeps extends LateSweepDeps {
  tenants: readonly string[];
  telemetry: Pick<Telemetry, 'count'>;
  log: Pick<Log, 'info'>;
}

/** The hourly sweep: each tenant in turn over its default range, each reported (`MessagesExpired`, one log line). */
export const sweepEveryTenant = async (deps: SweepEveryTenantDeps): Promise<Record<string, LateSweepResult>> => {
  const results: Record<string, LateSweepResult> = {};
  for (const tenant of deps.tenants) {
    const result = await sweepLate(deps, tenant);
    deps.telemetry.count(METRICS.messagesExpired, {}, result.expired);
    deps.log.info('late-report sweep', { tenant, ...result });
    results[tenant] = result;
  }
  return results;
};
