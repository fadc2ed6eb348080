/**
 * Wiring of the scheduled operations (reconciliation with eSMS, the late-report sweep) and their admin
 * routes. Built on first use so each function pays only for what it runs.
 */
import type { Context } from 'aws-lambda';
import * as v from 'valibot';
import { buildAdminApi, lateSweepRoute, reconcileRoute } from '../api/admin';
import { buildEsmsPullApi } from '../esms-api';
import { sweepLate } from '../esms/late-sweep';
import { BODY_LIMITS } from '../http/limits';
import { logger, telemetry } from '../observability/telemetry';
import { METRICS } from '../observability/metric-names';
import type { EsmsAccount } from '../reconcile/esms-pull';
import { reconcile, type ReconcileResult } from '../reconcile/reconcile';
import { buildEsmsStore } from '../store/esms-messages';
import { DEFAULT_TENANT } from '../table/names';
import { SEAL_CONTEXT } from '../table/registry';
import { withBodyLimit, withSecrets } from './lambda';
import { adminKeyKind, openRegistry, registryStore } from './registry';
import { loadSecrets } from './secrets';
import { config, doc, messageRetention } from './shared';

const store = buildEsmsStore(doc, config.messagesTable, messageRetention);
const api = buildEsmsPullApi({ baseUrl: config.esmsApiBaseUrl, statusBaseUrl: config.esmsStatusApiBaseUrl });

/** Tenants reconciliation and the sweep cover: the environment's `default` and the registry's. */
const tenants = async (): Promise<string[]> =>
  [DEFAULT_TENANT, ...(await registryStore?.listTenants() ?? []).map((tenant) => tenant.id).filter((id) => id !== DEFAULT_TENANT)];

/** `default`'s account from the settings, another tenant's from the registry (sealed there). */
const accountOf = async (tenant: string): Promise<EsmsAccount | undefined> => {
  if (tenant === DEFAULT_TENANT) return config.esmsAccount;
  const sealed = await registryStore?.getEsmsAccount(tenant);
  return sealed === undefined ? undefined : v.parse(EsmsAccountSchema, JSON.parse(openRegistry(sealed, SEAL_CONTEXT.esmsAccount(tenant))));
};
const EsmsAccountSchema = v.object({ apiKey: v.string(), secretKey: v.string() });

const report = (tenant: string, result: ReconcileResult) => {
  telemetry.count(METRICS.reconcileChecked, {}, result.checked);
  telemetry.count(METRICS.reconcileUpdated, {}, result.updated);
  telemetry.count(METRICS.reconcileDiscovered, {}, result.discovered);
  telemetry.count(METRICS.reconcileFailed, {}, result.failed);
  if (result.denied) telemetry.count(METRICS.reconcileDenied);
  const level = result.discovered > 0 || result.denied ? 'warn' : 'info';
  logger[level]('esms reconciliation', { tenant, ...result });
};

const runReconcile = (budgetMs: () => number) => async (tenant: string, account: EsmsAccount, window: { fromMs: number; toMs: number }) => {
  const result = await reconcile({ api, store, now: Date.now, outOfTime: () => budgetMs() <= 0 }, tenant, account, window);
  report(tenant, result);
  return result;
};

/** Hourly: every tenant's last 25 hours (older than 10 minutes), within the function's time budget. */
export const reconcileSchedule = async (_event: unknown, context: Context) => {
  await loadSecrets(['esms-api-key', 'esms-secret-key', 'zalo-token-key']);
  const results: Record<string, ReconcileResult> = {};
  try {
    for (const tenant of await tenants()) {
      const account = await accountOf(tenant);
      if (!account) continue;
      const now = Date.now();
      results[tenant] = await runReconcile(() => context.getRemainingTimeInMillis() - 30_000)(tenant, account, { fromMs: now - 25 * 3600_000, toMs: now - 10 * 60_000 });
    }
  } finally {
    telemetry.flush({ force: true });
  }
  return results;
};

/** Hourly: expires the messages that crossed LATE_REPORT_HOURS without a final status. */
export const lateSweepSchedule = async () => {
  const results: Record<string, unknown> = {};
  try {
    for (const tenant of await tenants()) {
      const result = await sweepLate({ store, now: Date.now, lateHours: config.lateReportHours }, tenant);
      telemetry.count(METRICS.messagesExpired, {}, result.expired);
      logger.info('late-report sweep', { tenant, ...result });
      results[tenant] = result;
    }
  } finally {
    telemetry.flush({ force: true });
  }
  return results;
};

const admin = (handle: Parameters<ReturnType<typeof buildAdminApi>>[0], secrets: Parameters<typeof withSecrets>[0]) =>
  withBodyLimit(BODY_LIMITS.replay, withSecrets(secrets, buildAdminApi(adminKeyKind)(handle)));

// HTTP APIs give an integration 30 s: an admin run stops at 25 s and answers `incomplete` (run it again to go on).
const ADMIN_BUDGET_MS = 25_000;

export const reconcileAdminHandler = admin(async (event) => {
  const started = Date.now();
  return reconcileRoute({ account: accountOf, run: runReconcile(() => ADMIN_BUDGET_MS - (Date.now() - started)), now: Date.now })(event).finally(() => telemetry.flush({ force: true }));
}, ['admin-api-keys', 'api-keys', 'esms-api-key', 'esms-secret-key', 'zalo-token-key']);

export const lateSweepAdminHandler = admin(lateSweepRoute((tenant, window) => sweepLate({ store, now: Date.now, lateHours: config.lateReportHours }, tenant, window)), ['admin-api-keys', 'api-keys']);
