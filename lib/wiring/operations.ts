/**
 * Wiring of the scheduled operations (reconciliation with eSMS, the late-report sweep) and their admin
 * routes. Built on first use so each function pays only for what it runs.
 */
import { buildAdminApi, lateSweepRoute, reconcileRoute } from '../api/admin';
import { buildEsmsPullApi } from '../esms-api';
import { sweepEveryTenant, sweepLate } from '../esms/late-sweep';
import { BODY_LIMITS } from '../http/limits';
import { logger, telemetry } from '../observability/telemetry';
import { reconcileEveryTenant, reportedReconcile } from '../reconcile/schedule';
import { buildEsmsStore } from '../store/esms-messages';
import { buildReconcileFindings } from '../store/alerts';
import { buildEsmsAccountLookup } from '../tenants/esms-accounts';
import { tenantsToCover } from '../tenants/list';
import { budgetFromNow, scheduled, timeLeftOver, withBodyLimit, withSecrets } from './lambda';
import { adminKeyKind, openRegistry, registryStore } from './registry';
import { loadSecrets } from './secrets';
import { config, doc, messageRetention } from './shared';

const store = buildEsmsStore(doc, config.messagesTable, messageRetention, config.batchRecipientsPerShard);
const api = buildEsmsPullApi({ baseUrl: config.esmsApiBaseUrl, statusBaseUrl: config.esmsStatusApiBaseUrl });
const accountOf = buildEsmsAccountLookup({ defaultAccount: config.esmsAccount, registry: registryStore, open: openRegistry });
const observers = { telemetry, log: logger };
// A run that found lost or never-seen callbacks leaves its finding: the projector makes `alert.callbacks_lost` of it.
const reconcileObservers = { ...observers, findings: buildReconcileFindings(doc, config.messagesTable) };
const reconcileWithin = (hasTime: () => boolean) => reportedReconcile({ api, store, now: Date.now, outOfTime: () => !hasTime() }, reconcileObservers);
const sweepDeps = { store, now: Date.now, lateHours: config.lateReportHours };

/** Stops taking messages 30 s before the function's own time-out. */
const SCHEDULE_RESERVE_MS = 30_000;
// HTTP APIs give an integration 30 s: an admin run stops at 25 s and answers `incomplete` (run it again to go on).
const ADMIN_BUDGET_MS = 25_000;

export const reconcileSchedule = scheduled(async (context) => {
  await loadSecrets(['esms-api-key', 'esms-secret-key', 'zalo-token-key']);
  return reconcileEveryTenant({
    tenants: await tenantsToCover(registryStore), account: accountOf, run: reconcileWithin(timeLeftOver(context, SCHEDULE_RESERVE_MS)), now: Date.now,
  });
});

export const lateSweepSchedule = scheduled(async () => sweepEveryTenant({ ...sweepDeps, ...observers, tenants: await tenantsToCover(registryStore) }));

const admin = (handle: Parameters<ReturnType<typeof buildAdminApi>>[0], secrets: Parameters<typeof withSecrets>[0]) =>
  withBodyLimit(BODY_LIMITS.replay, withSecrets(secrets, buildAdminApi(adminKeyKind)(handle)));

export const reconcileAdminHandler = admin(
  (event) => reconcileRoute({ account: accountOf, run: reconcileWithin(budgetFromNow(ADMIN_BUDGET_MS)), now: Date.now })(event).finally(() => telemetry.flush({ force: true })),
  ['admin-api-keys', 'api-keys', 'esms-api-key', 'esms-secret-key', 'zalo-token-key'],
);

export const lateSweepAdminHandler = admin(lateSweepRoute((tenant, window) => sweepLate(sweepDeps, tenant, window)), ['admin-api-keys', 'api-keys']);
