/**
 * Wiring of OA access: connect, callback, the hourly token refresh, the followers backfill (scheduled and
 * admin route). Each needs different secrets (connect: the state secret; refresh and backfill: the token
 * key; callback: both), so the parts are built on first use, each checking its own settings: a function
 * fails loudly on its first call when one is missing, and never for a secret it does not use. The public
 * local dev key is refused outside the local stack (lib/wiring/registry.ts `tokenKeys`).
 */
import { buildAdminApi } from '../api/admin';
import { followersBackfillRoute, oaCallback, oaConnect } from '../api/onboarding';
import { requireSetting } from '../config/settings';
import { BODY_LIMITS } from '../http/limits';
import { logger, telemetry } from '../observability/telemetry';
import { buildBackfillJobStore } from '../store/backfill-jobs';
import { buildFollowerBackfillWriter } from '../store/followers';
import { buildOAuthFlowStore } from '../store/oauth-flows';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildZaloOAuthClient } from '../zalo-api/oauth';
import { buildZaloOpenApi } from '../zalo-api/openapi';
import { jobSummary, runBackfill, runPendingBackfills, type BackfillDeps } from '../zalo-oa/followers-backfill';
import { buildTokenRefresher } from '../zalo-oa/token-refresh';
import type { TokenKeys } from '../seal';
import { budgetFromNow, scheduled, timeLeftOver, withBodyLimit, withSecrets, withTelemetry } from './lambda';
import { once } from './lazy';
import { adminKeyKind, tokenKeys, zaloAppDirectory } from './registry';
import { loadSecrets } from './secrets';
import { config, doc } from './shared';

/** The token key ring, read at each use (rotation without a restart; the public dev key refused on a stage). */
const tokenKey = (): TokenKeys => tokenKeys;
/** The environment's apps (tenant `default`), then the registry's: an app's tenant owns its OA's tokens. */
const apps = zaloAppDirectory;
const tokens = buildTokenStore(doc, config.messagesTable);
const jobs = buildBackfillJobStore(doc, config.messagesTable);

const base = () => ({
  apps,
  stateSecret: requireSetting(config.zaloStateSecret, 'ZALO_STATE_SECRET'),
  oauthBaseUrl: config.zaloOauthBaseUrl,
  callbackUrl: config.zaloOaCallbackUrl,
  flows: buildOAuthFlowStore(doc, config.messagesTable),
  now: Date.now,
  log: logger,
  telemetry,
});
const oauth = once(() => buildZaloOAuthClient({ oauthBaseUrl: config.zaloOauthBaseUrl, openApiBaseUrl: config.zaloOpenApiBaseUrl }));

// Built per request (a few closures): the state secret and callback URL are read as of now, so a rotated
// zalo-state-secret is used within the rotation window, not only by new instances.
const connect = () => oaConnect(base());
const callback = () => oaCallback({ ...base(), tokenKey: tokenKey(), oauth: oauth(), tokens, backfills: jobs });
const backfillDeps = (hasTime: () => boolean): BackfillDeps => ({
  jobs,
  tokens,
  tokenKey: tokenKey(),
  api: buildZaloOpenApi({ openApiBaseUrl: config.zaloOpenApiBaseUrl }),
  followers: buildFollowerBackfillWriter(doc, config.messagesTable),
  now: Date.now,
  log: logger,
  telemetry,
  hasTime,
});

// On AWS each handler first reads the SSM parameters it uses (its manifest in functions/<name>.json grants exactly these).
export const oaConnectHandler = withTelemetry((event) => connect()(event), ['zalo-app-secrets', 'zalo-state-secret', 'zalo-token-key']);
export const oaCallbackHandler = withTelemetry((event) => callback()(event), ['zalo-app-secrets', 'zalo-token-key', 'zalo-state-secret']);

/** Leaves this much of the invocation for the work in flight (one refresh can take ~95 s: 3 × 30 s + back-off). */
const REFRESH_RESERVE_MS = 120_000;
/** A backfill page takes seconds; the schedule stops taking pages a minute before its time-out. */
const BACKFILL_RESERVE_MS = 60_000;
/** HTTP APIs give an integration 30 s: an admin run stops taking pages at 20 s. */
const ADMIN_BUDGET_MS = 20_000;

export const tokenRefreshHandler = scheduled(async (context) => {
  await loadSecrets(['zalo-app-secrets', 'zalo-token-key']);
  return buildTokenRefresher({ apps, tokenKey: tokenKey(), oauth: oauth(), tokens, now: Date.now, log: logger, telemetry, hasTime: timeLeftOver(context, REFRESH_RESERVE_MS) })();
});

/** Every 15 minutes: the pending followers backfills, within the invocation's time. */
export const followersBackfillSchedule = scheduled(async (context) => {
  await loadSecrets(['zalo-token-key']);
  return { jobs: (await runPendingBackfills(backfillDeps(timeLeftOver(context, BACKFILL_RESERVE_MS)))).map(jobSummary) };
});

export const followersBackfillAdminHandler = withBodyLimit(BODY_LIMITS.replay, withSecrets(['admin-api-keys', 'api-keys', 'zalo-token-key'], buildAdminApi(adminKeyKind)(async (event) => {
  try {
    const deps = backfillDeps(budgetFromNow(ADMIN_BUDGET_MS));
    return await followersBackfillRoute({ jobs, tokens, now: Date.now, run: (job) => runBackfill(deps, job) })(event);
  } finally {
    telemetry.flush({ force: true });
  }
})));
