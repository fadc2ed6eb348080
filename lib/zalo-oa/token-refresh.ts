/**
 * The hourly token refresher: every connected OA whose access token expires within the window gets a new
 * pair. Zalo's refresh tokens are single-use, so each OA's refresh runs under a lease taken (with a
 * compare-and-swap on the record's version) BEFORE Zalo is called: two refreshers never spend one token
 * twice. The new pair replaces the old one only while the lease is held and no reconnection happened;
 * if the store fails right after Zalo answered, the write is retried, because the old refresh token is
 * already spent. A refresh Zalo refuses (revoked access, spent token) marks the OA disconnected.
 */
import { randomUUID } from 'node:crypto';
import { ZaloOAuthError } from '../errors';
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { TokenRecord } from '../table/oauth';
import type { TokenStore, ZaloOAuthClient } from './ports';
import type { ZaloAppDirectory } from '../zalo/ports';
import { openRefreshToken, sealGrant } from './tokens';
import type { TokenKeys } from '../seal';

/** Access tokens live 25 h; refreshing those with under 4 h left gives the hourly run several tries. */
export const REFRESH_WINDOW_MS = 4 * 3_600_000;
/** Longer than one refresh can take (3 attempts × 30 s, back-off, the write): a crashed holder frees it after this. */
export const LEASE_MS = 5 * 60_000;
const STORE_ATTEMPTS = 3;
/**
 * Refusals that say our app's credentials are wrong, not that the OA's token is dead: the token may
 * still be good once the secret is fixed, so the OA stays connected. [inferred from Zalo's v4 codes]
 */
const APP_CREDENTIAL_ERRORS = new Set(['-14002', '-14003']);

export interface RefreshDeps {
  apps: ZaloAppDirectory;
  tokenKey: TokenKeys;
  oauth: Pick<ZaloOAuthClient, 'refresh'>;
  tokens: Pick<TokenStore, 'expiringBefore' | 'replace' | 'lease' | 'release' | 'markRevoked'>;
  now: () => number;
  log: Log;
  telemetry: Pick<Telemetry, 'count'>;
  windowMs?: number;
  /** False once the run should take no new OA (the function's time is running out). */
  hasTime?: () => boolean;
}

export interface RefreshSummary {
  due: number;
  refreshed: number;
  /** Someone stored a newer pair meanwhile (a reconnection): theirs is kept. */
  superseded: number;
  /** Another refresher holds the OA's lease (or refreshed it since it was listed). */
  busy: number;
  /** Zalo refused the refresh token: the OA is marked disconnected and must reconnect. */
  disconnected: number;
  failed: number;
  /** Left for the next run: out of time. */
  skipped: number;
}

type Outcome = Exclude<keyof RefreshSummary, 'due'>;

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');

const storeNewPair = async (deps: RefreshDeps, record: TokenRecord, leaseId: string, grant: Parameters<typeof sealGrant>[1]): Promise<Outcome> => {
  const now = deps.now();
  const next = sealGrant(deps.tokenKey, grant, { tenant: record.tenant, oaId: record.oaId, appId: record.appId, now, connectedAt: record.connectedAt });
  for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt += 1) {
    try {
      return (await deps.tokens.replace(next, record.ver, leaseId)) ? 'refreshed' : 'superseded';
    } catch (error) {
      if (attempt === STORE_ATTEMPTS) {
        deps.log.error('zalo token refresh: new pair could not be stored; the OA must reconnect', { tenant: record.tenant, oaId: record.oaId, error: errorText(error) });
      }
    }
  }
  return 'failed';
};

const refreshOne = async (deps: RefreshDeps, record: TokenRecord): Promise<Outcome> => {
  const context = { tenant: record.tenant, oaId: record.oaId, appId: record.appId };
  const app = await deps.apps.find(record.appId);
  if (app?.appSecret === undefined || app.tenant !== record.tenant) {
    deps.log.error('zalo token refresh: app secret missing', context);
    return 'failed';
  }
  const leaseId = randomUUID();
  if (!(await deps.tokens.lease(record, leaseId, deps.now() + LEASE_MS, deps.now()))) return 'busy';
  let grant;
  try {
    grant = await deps.oauth.refresh({ appId: record.appId, appSecret: app.appSecret, refreshToken: openRefreshToken(deps.tokenKey, record) });
  } catch (error) {
    if (error instanceof ZaloOAuthError && !APP_CREDENTIAL_ERRORS.has(error.code)) {
      deps.log.warn('zalo token refresh refused: OA disconnected until it reconnects', { ...context, error: errorText(error) });
      await deps.tokens.markRevoked(record.tenant, record.oaId, deps.now(), `refresh refused (${error.code})`);
      return 'disconnected';
    }
    deps.log.error('zalo token refresh failed', { ...context, error: errorText(error) });
    await deps.tokens.release(record, leaseId);
    return 'failed';
  }
  return storeNewPair(deps, record, leaseId, grant);
};

export const buildTokenRefresher = (deps: RefreshDeps) => async (): Promise<RefreshSummary> => {
  const due = await deps.tokens.expiringBefore(deps.now() + (deps.windowMs ?? REFRESH_WINDOW_MS));
  const summary: RefreshSummary = { due: due.length, refreshed: 0, superseded: 0, busy: 0, disconnected: 0, failed: 0, skipped: 0 };
  // One at a time: a handful of OAs, and Zalo's OAuth endpoint is not ours to hammer.
  for (const record of due) {
    if (deps.hasTime && !deps.hasTime()) {
      summary.skipped += 1;
      continue;
    }
    summary[await refreshOne(deps, record)] += 1;
  }
  if (summary.refreshed) deps.telemetry.count(METRICS.zaloTokenRefreshed, {}, summary.refreshed);
  if (summary.failed) deps.telemetry.count(METRICS.zaloTokenRefreshFailed, {}, summary.failed);
  if (summary.disconnected) deps.telemetry.count(METRICS.zaloOaDisconnected, {}, summary.disconnected);
  deps.log.info('zalo token refresh', { ...summary });
  return summary;
};
