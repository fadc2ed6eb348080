/**
 * Wiring of `POST /api/zalo/oa-connect-links`: a tenant's key (or the admin key with ?tenant=) issues the
 * single-use link an OA admin opens to connect an OA to one of the tenant's apps (lib/zalo-oa/connect.ts).
 */
import { buildReadApi } from '../api/read-api';
import { connectLinkRoute } from '../api/onboarding';
import { BODY_LIMITS } from '../http/limits';
import { buildOAuthFlowStore } from '../store/oauth-flows';
import { withBodyLimit, withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner, zaloAppDirectory } from './registry';
import { config, doc } from './shared';

const required = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`missing required setting ${name}`);
  return value;
};

const keyed = buildReadApi(readKeyOwner);

// zalo-app-secrets and zalo-token-key: whether the app is configured for OA connections (the settings' apps, the registry's sealed ones).
export const connectLinkHandler = lazy(() => withBodyLimit(BODY_LIMITS.replay, withSecrets(
  ['api-keys', 'admin-api-keys', 'zalo-state-secret', 'zalo-app-secrets', 'zalo-token-key'],
  keyed((event, caller) => connectLinkRoute({
    apps: zaloAppDirectory,
    stateSecret: required(config.zaloStateSecret, 'ZALO_STATE_SECRET'),
    callbackUrl: config.zaloOaCallbackUrl,
    flows: buildOAuthFlowStore(doc, config.messagesTable),
    now: Date.now,
  })(event, caller)),
)));
