/**
 * Wiring of OA access: connect, callback, the hourly token refresh, the followers backfill (scheduled and
 * admin route). Each needs different secrets (connect: the state secret; refresh and backfill: the token
 * key; callback: both), so the parts are built on first use, each checking its own settings: a function
 * fails loudly on its first call when one is missing, and never for a secret it does not use. The public
 * local dev key is refused outside the local stack (lib/wiring/registry.ts `tokenKeys`).
 */
import type { Context } from 'aws-lambda';
import { buildAdminApi } from '../api/admin';
import { followersBackfillRoute, oaCallback, oaConnect } from '../api/onboarding';
import { BODY_LIMITS } from '../http/limits';
import { logger, telemetry } from '../observability/telemetry';
import { buildBackfillJobStore } from '../store/backfill-jobs';
import { buildFollowerBackfillWriter } from '../store/followers';
import { buildOAuthFlowStore } from '../store/oauth-flows';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildZaloOAuthClient } from '../zalo-api/oauth';
import { buildZaloOpenApi } from '../zalo-api/openapi';
import type { TokenKeys } from '../seal';
import { runBackfill, runPendingBackfills, type BackfillDeps } from '../zalo-oa/followers-backfill';
import { buildTokenRefresher } from '../zalo-oa/token-refresh';
import { withBodyLimit, withSecrets, withTelemetry } from './lambda';
import { adminKeyKind, tokenKeys, zaloAppDirectory } from './registry';
import { loadSecrets } from './secrets';
import { config, doc } from './shared';

const once = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => (built ??= build());
};

const required = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`missing required setting ${name}`);
  return value;
};

/** The token key ring, read at each use (rotation without a restart; the public dev key refused on a stage). */
const sealingKey = (): TokenKeys => tokenKeys;

/** The environment's apps (tenant `default`), then the registry's: an app's tenant owns its OA's tokens. */
const apps = zaloAppDirectory;
const tokens = buildTokenStore(doc, config.messagesTable);
const jobs = buildBackfillJobStore(doc, config.messagesTable);
const base = () => ({
  apps,
  stateSecret: required(config.zaloStateSecret, 'ZALO_STATE_SECRET'),
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
const callback = () => oaCallback({ ...base(), tokenKey: sealingKey(), oauth: oauth(), tokens, backfills: jobs });
const backfillDeps = (hasTime: () => boolean): BackfillDeps => ({
  jobs,
  tokens,
  tokenKey: sealingKey(),
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
const RESERVE_MS = 120_000;

export const tokenRefreshHandler = async (_event?: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  try {
    await loadSecrets(['zalo-app-secrets', 'zalo-token-key']);
    const hasTime = () => (context ? context.getRemainingTimeInMillis() > RESERVE_MS : true);
    return await buildTokenRefresher({ apps, tokenKey: sealingKey(), oauth: oauth(), tokens, now: Date.now, log: logger, telemetry, hasTime })();
  } finally {
    telemetry.flush({ force: true });
  }
};

/** Every 15 minutes: the pending followers backfills, within the invocation's time. */
export const followersBackfillSchedule = async (_event?: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  try {
    await loadSecrets(['zalo-token-key']);
    const jobsRun = await runPendingBackfills(backfillDeps(() => (context ? context.getRemainingTimeInMillis() > 60_000 : true)));
    return { jobs: jobsRun.map(({ tenant, oaId, offset, merged, done }) => ({ tenant, oaId, offset, merged, done })) };
  } finally {
    telemetry.flush({ force: true });
  }
};

/** HTTP APIs give an integration 30 s: an admin run stops taking pages at 20 s. */
const ADMIN_BUDGET_MS = 20_000;

export const followersBackfillAdminHandler = withBodyLimit(BODY_LIMITS.replay, withSecrets(['admin-api-keys', 'api-keys', 'zalo-token-key'], buildAdminApi(adminKeyKind)(async (event) => {
  const started = Date.now();
  try {
    const deps = backfillDeps(() => Date.now() - started < ADMIN_BUDGET_MS);
    return await followersBackfillRoute({ jobs, tokens, now: Date.now, run: (job) => runBackfill(deps, job) })(event);
  } finally {
    telemetry.flush({ force: true });
  }
})));
