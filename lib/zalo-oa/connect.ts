/**
 * Connecting an Official Account. The app's tenant issues a single-use connection link
 * (`POST /api/zalo/oa-connect-links`, lib/zalo-oa/connect-link.ts); `/zalo/oa-connect?link=` verifies and
 * consumes it, stores a single-use flow bound to the browser (a cookie whose hash the flow holds) and sends
 * the OA admin to Zalo's consent page with a MACed state;
 * Zalo sends them back to `/zalo/oa-callback`, which consumes the flow, exchanges the code, asks Zalo
 * which OA the token belongs to, and only then seals and stores the tokens under the app's tenant.
 * Nothing is stored when Zalo cannot confirm the OA. No token is logged.
 */
import { NotConfiguredError, RequestError, UpstreamError } from '../errors';
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { BackfillJobStore, OAuthFlowStore, TokenStore, ZaloOAuthClient } from './ports';
import { browserHash, issueState, newBrowserBinding, newNonce, pkce, STATE_TTL_MS, verifyState } from './oauth-state';
import { issueConnectLink, verifyConnectLink } from './connect-link';
import type { ZaloApp, ZaloAppDirectory } from '../zalo/ports';
import { sealGrant } from './tokens';
import type { TokenKeys } from '../seal';

export interface ConnectUrlDeps {
  apps: ZaloAppDirectory;
  stateSecret: string;
  oauthBaseUrl: string;
  /** The registered "Official Account Callback Url"; never derived from the request. */
  callbackUrl: string | undefined;
  flows: Pick<OAuthFlowStore, 'put' | 'consumeLink'>;
  now: () => number;
}

export interface ConnectDeps extends Omit<ConnectUrlDeps, 'flows'> {
  tokenKey: TokenKeys;
  oauth: ZaloOAuthClient;
  flows: Pick<OAuthFlowStore, 'consume'>;
  tokens: Pick<TokenStore, 'save'>;
  /** Starts the followers backfill of a newly connected OA. */
  backfills: Pick<BackfillJobStore, 'start'>;
  log: Log;
  telemetry: Pick<Telemetry, 'count'>;
}

export const requireCallbackUrl = (callbackUrl: string | undefined): string => {
  if (!callbackUrl) {
    throw new NotConfiguredError('OA connections are not configured here: ZALO_OA_CALLBACK_URL (the Official Account Callback Url registered with Zalo) is not set.');
  }
  return callbackUrl;
};

export const oauthAppOf = async (apps: ZaloAppDirectory, appId: string): Promise<ZaloApp & { appSecret: string }> => {
  const app = await apps.find(appId);
  if (app?.appSecret === undefined) throw new RequestError(400, 'app_id', `Zalo app ${appId} is not configured for OA connections`);
  return { ...app, appSecret: app.appSecret };
};

/**
 * Zalo's consent URL for the link's app, and the cookie value binding the new flow to this browser. A
 * missing, forged or expired link is refused before any read or write; a used one by its conditional delete.
 */
export const startConnection = async (deps: ConnectUrlDeps, input: { link: string | undefined }): Promise<{ location: string; cookie: string; callbackUrl: string }> => {
  const callbackUrl = requireCallbackUrl(deps.callbackUrl);
  const now = deps.now();
  const link = verifyConnectLink(deps.stateSecret, input.link, now);
  const appId = link.a;
  const app = await oauthAppOf(deps.apps, appId);
  if (app.tenant !== link.t) throw new RequestError(409, 'link', `Zalo app ${appId} moved to another tenant since this link was issued`);
  if (!(await deps.flows.consumeLink(link.n, now))) throw new RequestError(403, 'link', 'this connection link was already used: ask the platform for a new one');
  const nonce = newNonce();
  const browser = newBrowserBinding();
  await deps.flows.put({ nonce, tenant: app.tenant, appId, browser: browser.hash, validUntil: now + STATE_TTL_MS });
  const state = issueState(deps.stateSecret, appId, now, STATE_TTL_MS, nonce);
  const query = new URLSearchParams({ app_id: appId, redirect_uri: callbackUrl, code_challenge: pkce(deps.stateSecret, nonce).challenge, state });
  return { location: `${deps.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/permission?${query}`, cookie: browser.cookie, callbackUrl };
};

export interface Connected {
  tenant: string;
  oaId: string;
  appId: string;
  accessExpiresAt: number;
}

/** The callback: state → this browser's unused flow → code exchange → OA confirmed by Zalo → sealed tokens stored. */
export const completeConnection = async (
  deps: ConnectDeps,
  input: { oaId?: string | undefined; code?: string | undefined; state?: string | undefined; cookie: string | undefined },
): Promise<Connected> => {
  const now = deps.now();
  const state = verifyState(deps.stateSecret, input.state, now);
  if (!input.code) throw new RequestError(400, 'code', 'Zalo did not send an authorization code (was access refused?)');
  if (input.cookie === undefined) {
    throw new RequestError(403, 'state', 'this connection was started in another browser (or cookies are blocked): open /zalo/oa-connect again in this browser');
  }
  const flow = await deps.flows.consume(state.n, browserHash(input.cookie), now);
  if (!flow || flow.appId !== state.a) {
    throw new RequestError(403, 'state', 'this connection link was already used, has expired, or was started in another browser: open /zalo/oa-connect again');
  }
  const app = await oauthAppOf(deps.apps, flow.appId);
  if (app.tenant !== flow.tenant) throw new RequestError(409, 'app_id', `Zalo app ${flow.appId} moved to another tenant during the connection`);
  const grant = await deps.oauth.exchangeCode({ appId: flow.appId, appSecret: app.appSecret, code: input.code, codeVerifier: pkce(deps.stateSecret, flow.nonce).verifier });
  // oa_id arrives in the browser's URL: only Zalo's own answer says which OA the token is for.
  const oaId = await deps.oauth.oaIdOf(grant.accessToken);
  if (oaId === undefined) throw new UpstreamError('getoa', 'Zalo did not confirm which Official Account granted access; nothing was saved. Try again.');
  if (input.oaId !== undefined && input.oaId !== oaId) {
    throw new RequestError(403, 'oa_id', 'the authorization belongs to another Official Account than oa_id says');
  }
  const connectedAt = deps.now();
  const record = sealGrant(deps.tokenKey, grant, { tenant: flow.tenant, oaId, appId: flow.appId, now: connectedAt, connectedAt });
  await deps.tokens.save(record);
  deps.telemetry.count(METRICS.zaloOaConnected);
  deps.log.info('zalo oa connected', { tenant: flow.tenant, oaId, appId: flow.appId, accessExpiresAt: new Date(record.accessExpiresAt).toISOString() });
  try {
    await deps.backfills.start(flow.tenant, oaId, connectedAt);
  } catch (error) {
    // The OA is connected; the backfill can be started again from the admin route.
    deps.log.error('zalo followers backfill not started', { tenant: flow.tenant, oaId, error: error instanceof Error ? error.message : 'unknown error' });
  }
  return { tenant: flow.tenant, oaId, appId: flow.appId, accessExpiresAt: record.accessExpiresAt };
};

export interface LinkDeps {
  apps: ZaloAppDirectory;
  stateSecret: string;
  /** The registered "Official Account Callback Url": the link opens on the same host, so the flow's cookie comes back. */
  callbackUrl: string | undefined;
  flows: Pick<OAuthFlowStore, 'putLink'>;
  now: () => number;
}

/**
 * A connection link for one of `tenant`'s apps (configured for OA connections): the URL to send the OA
 * admin, usable once within 72 hours. Another tenant's app (or none) is a 404, as on every tenant route.
 */
export const createConnectLink = async (deps: LinkDeps, tenant: string, appId: string): Promise<{ url: string; expiresAt: number }> => {
  const callbackUrl = requireCallbackUrl(deps.callbackUrl);
  const app = await deps.apps.find(appId);
  if (!app || app.tenant !== tenant) throw new RequestError(404, 'appId', `no Zalo app ${appId}`);
  await oauthAppOf(deps.apps, appId);
  const { token, link } = issueConnectLink(deps.stateSecret, { tenant, appId, now: deps.now() });
  await deps.flows.putLink({ nonce: link.n, tenant, appId, validUntil: link.e });
  return { url: `${new URL(callbackUrl).origin}/zalo/oa-connect?link=${token}`, expiresAt: link.e };
};
