/**
 * Reconciliation as the schedule and the admin route run it: a run is reported (its counts as metrics, one
 * log line that warns when callbacks were lost or eSMS refused the account), and the hourly run covers every
 * tenant that has an eSMS account over the last 25 hours, leaving the last 10 minutes to callbacks still
 * on their way.
 */
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { EsmsAccount, ReconcileFindings } from './ports';
import { reconcile, type ReconcileDeps, type ReconcileResult } from './reconcile';

export type ReconcileWindow = { fromMs: number; toMs: number };
export type ReconcileRun = (tenant: string, account: EsmsAccount, window: ReconcileWindow) => Promise<ReconcileResult>;

export const SCHEDULED_LOOKBACK_MS = 25 * 3600_000;
export const SCHEDULED_SETTLE_MS = 10 * 60_000;

export interface ReconcileObservers {
  telemetry: Pick<Telemetry, 'count'>;
  log: Pick<Log, 'info' | 'warn'>;
  /** Where a run that found lost or never-seen callbacks leaves its finding (`alert.callbacks_lost`). */
  findings?: ReconcileFindings;
}

/** SMSIDs a finding lists per kind, at most (its counts are whole). */
export const MAX_FINDING_IDS = 100;

/** Publishes one run's result; `ReconcileDiscovered` and `ReconcileDenied` are alarmed. */
export const reportReconcile = ({ telemetry, log }: ReconcileObservers, tenant: string, result: ReconcileResult): void => {
  telemetry.count(METRICS.reconcileChecked, {}, result.checked);
  telemetry.count(METRICS.reconcileUpdated, {}, result.updated);
  telemetry.count(METRICS.reconcileDiscovered, {}, result.discovered);
  telemetry.count(METRICS.reconcileFailed, {}, result.failed);
  if (result.denied) telemetry.count(METRICS.reconcileDenied);
  const level = result.discovered > 0 || result.denied ? 'warn' : 'info';
  log[level]('esms reconciliation', { tenant, ...result });
};

/** `reconcile`, then its report, and the finding kept when callbacks were lost or never seen. */
export const reportedReconcile = (deps: ReconcileDeps, observers: ReconcileObservers): ReconcileRun => async (tenant, account, window) => {
  const ids = { lost: [] as string[], neverSeen: [] as string[] };
  const result = await reconcile({
    ...deps,
    found: (kind, smsId) => {
      if (ids[kind].length < MAX_FINDING_IDS) ids[kind].push(smsId);
      deps.found?.(kind, smsId);
    },
  }, tenant, account, window);
  reportReconcile(observers, tenant, result);
  if (result.updated > 0 && observers.findings) {
    await observers.findings.add(tenant, {
      at: deps.now(), from: window.fromMs, to: window.toMs, checked: result.checked, lost: result.updated - result.discovered, neverSeen: result.discovered,
      lostSmsIds: ids.lost, neverSeenSmsIds: ids.neverSeen,
    });
  }
  return result;
};

/** The hourly window ending `now`. */
export const scheduledWindow = (now: number): ReconcileWindow => ({ fromMs: now - SCHEDULED_LOOKBACK_MS, toMs: now - SCHEDULED_SETTLE_MS });

export interface EveryTenantDeps {
  tenants: readonly string[];
  account: (tenant: string) => Promise<EsmsAccount | undefined>;
  run: ReconcileRun;
  now: () => number;
}

/** Each tenant with an account, in turn, over the window ending when its turn comes; tenants without one are skipped. */
export const reconcileEveryTenant = async (deps: EveryTenantDeps): Promise<Record<string, ReconcileResult>> => {
  const results: Record<string, ReconcileResult> = {};
  for (const tenant of deps.tenants) {
    const account = await deps.account(tenant);
    if (account) results[tenant] = await deps.run(tenant, account, scheduledWindow(deps.now()));
  }
  return results;
};
