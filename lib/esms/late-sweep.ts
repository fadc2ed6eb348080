/**
 * The late-report policy: a message with no final status LATE_REPORT_HOURS after it was first seen
 * becomes `expired` (its own status in views and reports). A later final callback still wins; a later
 * non-final one leaves it expired. Runs on a schedule over the heads that crossed the threshold since the
 * last run (with an overlap), and on demand over any window.
 */
import { currentState } from './state';
import type { EsmsMessageStore } from './ports';
import { daysBetween, vietnamDay } from '../time';

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
