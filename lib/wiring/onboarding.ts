/**
 * Module-scope wiring of the OA onboarding functions (connect, callback, hourly token refresh). They
 * need the state secret and the token key: a missing or malformed one fails the cold start, and the
 * public local dev key is refused outside the local stack.
 */
import { oaCallback, oaConnect } from '../api/onboarding';
import { logger, telemetry } from '../observability/telemetry';
import { buildTokenStore } from '../store/oauth-tokens';
import type { ConnectDeps } from '../zalo/connect';
import { LOCAL_DEV_TOKEN_KEY, tokenKey } from '../zalo/crypto';
import { buildZaloOAuthClient } from '../zalo/oauth';
import { buildTokenRefresher } from '../zalo/token-refresh';
import { config, doc } from './shared';

if (!config.zaloStateSecret) throw new Error('missing required setting ZALO_STATE_SECRET');
if (config.zaloTokenKey === LOCAL_DEV_TOKEN_KEY) {
  if (config.dynamodbEndpoint === undefined) throw new Error('ZALO_TOKEN_KEY is the public local dev key: set a real one (openssl rand -base64 32)');
  logger.warn(`ZALO_TOKEN_KEY is the local dev default (${LOCAL_DEV_TOKEN_KEY}): OA tokens are sealed with a public key`);
}

const tokens = buildTokenStore(doc, config.messagesTable);
const oauth = buildZaloOAuthClient({ oauthBaseUrl: config.zaloOauthBaseUrl, openApiBaseUrl: config.zaloOpenApiBaseUrl });
const common = { appSecrets: () => config.zaloAppSecrets, tokenKey: tokenKey(config.zaloTokenKey), oauth, tokens, now: Date.now, log: logger, telemetry };
const connect: ConnectDeps = { ...common, stateSecret: config.zaloStateSecret, oauthBaseUrl: config.zaloOauthBaseUrl };

export const oaConnectHandler = oaConnect(connect, config.zaloOaCallbackUrl);
export const oaCallbackHandler = oaCallback(connect);

const refresh = buildTokenRefresher(common);
export const tokenRefreshHandler = async () => {
  try {
    return await refresh();
  } finally {
    telemetry.flush();
  }
};
