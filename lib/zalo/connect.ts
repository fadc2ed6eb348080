/**
 * Connecting an Official Account: `/zalo/oa-connect` sends the OA admin to Zalo's consent page with a
 * signed, short-lived state; Zalo sends them back to `/zalo/oa-callback` with a code, which is exchanged
 * for the OA's tokens, checked against the OA id Zalo reports, sealed and stored. No token is logged.
 */
import { RequestError } from '../errors';
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { ZaloOAuthClient } from './oauth';
import { issueState, pkce, verifyState } from './oauth-state';
import type { TokenStore } from './ports';
import { sealGrant } from './tokens';

export interface ConnectDeps {
  /** app_id → app secret key (OAuth; not the webhook's OA secret key). */
  appSecrets: () => Record<string, string>;
  stateSecret: string;
  tokenKey: Buffer;
  oauthBaseUrl: string;
  oauth: ZaloOAuthClient;
  tokens: Pick<TokenStore, 'save'>;
  now: () => number;
  log: Log;
  telemetry: Pick<Telemetry, 'count'>;
}

/** What the connect redirect needs: no token key, no storage. */
export type ConnectUrlDeps = Pick<ConnectDeps, 'appSecrets' | 'stateSecret' | 'oauthBaseUrl' | 'now'>;

const appOf = (deps: ConnectUrlDeps, requested: string | undefined): string => {
  const apps = Object.keys(deps.appSecrets());
  if (requested === undefined && apps.length === 1) return apps[0]!;
  if (requested === undefined) throw new RequestError(400, 'app_id', 'app_id is required (several Zalo apps are configured)');
  if (!apps.includes(requested)) throw new RequestError(400, 'app_id', `Zalo app ${requested} is not configured for OA connections`);
  return requested;
};

/** Zalo's OA consent URL for `appId`, returning to `redirectUri` with a fresh state and PKCE challenge. */
export const connectUrl = (deps: ConnectUrlDeps, input: { appId?: string; redirectUri: string }): string => {
  const appId = appOf(deps, input.appId);
  const state = issueState(deps.stateSecret, appId, deps.now());
  const nonce = verifyState(deps.stateSecret, state, deps.now()).n;
  const query = new URLSearchParams({ app_id: appId, redirect_uri: input.redirectUri, code_challenge: pkce(deps.stateSecret, nonce).challenge, state });
  return `${deps.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/permission?${query}`;
};

export interface Connected {
  oaId: string;
  appId: string;
  accessExpiresAt: number;
  verified: boolean;
}

/** The callback: state → code exchange → OA identity check → sealed tokens stored. */
export const completeConnection = async (
  deps: ConnectDeps,
  input: { oaId?: string; code?: string; state?: string },
): Promise<Connected> => {
  const state = verifyState(deps.stateSecret, input.state, deps.now());
  if (!input.oaId) throw new RequestError(400, 'oa_id', 'Zalo did not send oa_id');
  if (!input.code) throw new RequestError(400, 'code', 'Zalo did not send an authorization code (was access refused?)');
  const appSecret = deps.appSecrets()[state.a];
  if (appSecret === undefined) throw new RequestError(400, 'app_id', `Zalo app ${state.a} is no longer configured`);
  const grant = await deps.oauth.exchangeCode({ appId: state.a, appSecret, code: input.code, codeVerifier: pkce(deps.stateSecret, state.n).verifier });
  // oa_id arrives in the browser's URL: trust it only if Zalo says the token is that OA's.
  const reported = await deps.oauth.oaIdOf(grant.accessToken).catch(() => undefined);
  if (reported !== undefined && reported !== input.oaId) {
    throw new RequestError(403, 'oa_id', 'the authorization belongs to another Official Account than oa_id says');
  }
  const now = deps.now();
  const verified = reported === input.oaId;
  const record = sealGrant(deps.tokenKey, grant, { oaId: input.oaId, appId: state.a, now, connectedAt: now, verified });
  await deps.tokens.save(record);
  deps.telemetry.count(METRICS.zaloOaConnected);
  deps.log.info('zalo oa connected', { oaId: input.oaId, appId: state.a, verified, accessExpiresAt: new Date(record.accessExpiresAt).toISOString() });
  if (!verified) deps.log.warn('zalo oa identity not confirmed by getoa', { oaId: input.oaId });
  return { oaId: input.oaId, appId: state.a, accessExpiresAt: record.accessExpiresAt, verified };
};
