/**
 * Wiring of the OA onboarding functions (connect, callback, hourly token refresh). Each needs different
 * secrets (connect: the state secret; refresh: the token key; callback: both), so the parts are built on
 * first use, each checking its own settings: a function fails loudly on its first call when one is
 * missing, and never for a secret it does not use. The public local dev key is refused outside the local stack.
 */
import { oaCallback, oaConnect } from '../api/onboarding';
import { logger, telemetry } from '../observability/telemetry';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildZaloOAuthClient } from '../zalo-api/oauth';
import { LOCAL_DEV_TOKEN_KEY, tokenKey } from '../zalo/crypto';
import { buildTokenRefresher } from '../zalo/token-refresh';
import { withTelemetry } from './lambda';
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

const sealingKey = once(() => {
  if (config.zaloTokenKey === LOCAL_DEV_TOKEN_KEY) {
    if (config.dynamodbEndpoint === undefined) throw new Error('ZALO_TOKEN_KEY is the public local dev key: set a real one (openssl rand -base64 32)');
    logger.warn(`ZALO_TOKEN_KEY is the local dev default (${LOCAL_DEV_TOKEN_KEY}): OA tokens are sealed with a public key`);
  }
  return tokenKey(required(config.zaloTokenKey, 'ZALO_TOKEN_KEY'));
});

const base = {
  appSecrets: () => config.zaloAppSecrets,
  oauth: buildZaloOAuthClient({ oauthBaseUrl: config.zaloOauthBaseUrl, openApiBaseUrl: config.zaloOpenApiBaseUrl }),
  tokens: buildTokenStore(doc, config.messagesTable),
  oauthBaseUrl: config.zaloOauthBaseUrl,
  now: Date.now,
  log: logger,
  telemetry,
};

const connect = once(() => oaConnect({ ...base, stateSecret: required(config.zaloStateSecret, 'ZALO_STATE_SECRET') }, config.zaloOaCallbackUrl));
const callback = once(() => oaCallback({ ...base, stateSecret: required(config.zaloStateSecret, 'ZALO_STATE_SECRET'), tokenKey: sealingKey() }));
const refresh = once(() => buildTokenRefresher({ ...base, tokenKey: sealingKey() }));

// On AWS each handler first reads the SSM parameters it uses (its manifest in infra/functions/ grants exactly these).
export const oaConnectHandler = withTelemetry((event) => connect()(event), ['zalo-app-secrets', 'zalo-state-secret']);
export const oaCallbackHandler = withTelemetry((event) => callback()(event), ['zalo-app-secrets', 'zalo-token-key', 'zalo-state-secret']);
export const tokenRefreshHandler = async () => {
  try {
    await loadSecrets(['zalo-app-secrets', 'zalo-token-key']);
    return await refresh()();
  } finally {
    telemetry.flush({ force: true });
  }
};
