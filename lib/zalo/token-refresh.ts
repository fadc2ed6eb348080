/**
 * The hourly token refresher: every OA whose access token expires within the window gets a new pair.
 * Zalo's refresh tokens are single-use, so the new pair replaces the old one with a compare-and-swap
 * on the record's version; if the store fails right after Zalo answered, the write is retried, because
 * the old refresh token is already spent.
 */
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { TokenRecord } from '../table/oauth';
import type { ZaloOAuthClient } from './oauth';
import type { TokenStore } from './ports';
import { openRefreshToken, sealGrant } from './tokens';

/** Access tokens live 25 h; refreshing those with under 4 h left gives the hourly run several tries. */
export const REFRESH_WINDOW_MS = 4 * 3_600_000;
const STORE_ATTEMPTS = 3;

export interface RefreshDeps {
  appSecrets: () => Record<string, string>;
  tokenKey: Buffer;
  oauth: Pick<ZaloOAuthClient, 'refresh'>;
  tokens: Pick<TokenStore, 'expiringBefore' | 'replace'>;
  now: () => number;
  log: Log;
  telemetry: Pick<Telemetry, 'count'>;
  windowMs?: number;
}

export interface RefreshSummary {
  due: number;
  refreshed: number;
  /** Someone stored a newer pair meanwhile (a reconnection): theirs is kept. */
  superseded: number;
  failed: number;
}

type Outcome = 'refreshed' | 'superseded' | 'failed';

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');

const refreshOne = async (deps: RefreshDeps, record: TokenRecord): Promise<Outcome> => {
  const context = { oaId: record.oaId, appId: record.appId };
  const appSecret = deps.appSecrets()[record.appId];
  if (appSecret === undefined) {
    deps.log.error('zalo token refresh: app secret missing', context);
    return 'failed';
  }
  let grant;
  try {
    grant = await deps.oauth.refresh({ appId: record.appId, appSecret, refreshToken: openRefreshToken(deps.tokenKey, record) });
  } catch (error) {
    deps.log.error('zalo token refresh refused', { ...context, error: errorText(error) });
    return 'failed';
  }
  const now = deps.now();
  const next = sealGrant(deps.tokenKey, grant, { oaId: record.oaId, appId: record.appId, now, connectedAt: record.connectedAt, verified: record.verified });
  for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt += 1) {
    try {
      return (await deps.tokens.replace(next, record.ver)) ? 'refreshed' : 'superseded';
    } catch (error) {
      if (attempt === STORE_ATTEMPTS) {
        deps.log.error('zalo token refresh: new pair could not be stored; the OA must reconnect', { ...context, error: errorText(error) });
      }
    }
  }
  return 'failed';
};

export const buildTokenRefresher = (deps: RefreshDeps) => async (): Promise<RefreshSummary> => {
  const due = await deps.tokens.expiringBefore(deps.now() + (deps.windowMs ?? REFRESH_WINDOW_MS));
  const summary: RefreshSummary = { due: due.length, refreshed: 0, superseded: 0, failed: 0 };
  // One at a time: a handful of OAs, and Zalo's OAuth endpoint is not ours to hammer.
  for (const record of due) summary[await refreshOne(deps, record)] += 1;
  if (summary.refreshed) deps.telemetry.count(METRICS.zaloTokenRefreshed, {}, summary.refreshed);
  if (summary.failed) deps.telemetry.count(METRICS.zaloTokenRefreshFailed, {}, summary.failed);
  deps.log.info('zalo token refresh', { ...summary });
  return summary;
};
