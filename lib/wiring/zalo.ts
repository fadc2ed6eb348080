/**
 * Module-scope wiring of the Zalo webhook and the Zalo read routes. Building
 * the adapters is only closures over the shared client, so each function pays for nothing it does not use.
 */
import { buildReadApi } from '../api/read-api';
import { getJourney, getOaState, getZaloMessage, listConversation, listFollowers } from '../api/zalo';
import { BODY_LIMITS } from '../http/limits';
import { logger, telemetry } from '../observability/telemetry';
import { buildEsmsReader } from '../store/esms-reads';
import { buildFollowerStore } from '../store/followers';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildZaloEventStore } from '../store/zalo-events';
import { buildZaloLinkStore } from '../store/zalo-links';
import { buildZaloStateStore } from '../store/zalo-state';
import { buildZaloIngest } from '../inbound/zalo';
import { inboundBuffer } from './buffer';
import { withBodyLimit, withSecrets, withTelemetry } from './lambda';
import { lazy } from './lazy';
import { pendingZaloStore, readKeyOwner, recordCredentialUse, zaloAppDirectory } from './registry';
import { config, doc, rejectedStore } from './shared';

const events = buildZaloEventStore(doc, config.messagesTable);
const state = buildZaloStateStore(doc, config.messagesTable);
const keyed = buildReadApi(readKeyOwner);
const readApi: typeof keyed = (handle) => withSecrets(['api-keys', 'admin-api-keys'], keyed(handle));

export const zaloWebhookHandler = withTelemetry(withBodyLimit(BODY_LIMITS.zaloWebhook, buildZaloIngest({
  // The environment's apps (tenant `default`), then the registry's (cached per instance; pending ones keep their requests).
  apps: zaloAppDirectory,
  pending: pendingZaloStore(),
  events,
  state,
  revocations: buildTokenStore(doc, config.messagesTable),
  ...(recordCredentialUse && { recordUse: recordCredentialUse }),
  rejected: rejectedStore,
  buffer: inboundBuffer(),
  now: Date.now,
  telemetry,
  log: logger,
})), ['zalo-apps', 'zalo-token-key']);

// Each read function builds only its own handler's adapters, on its first request.
export const zaloMessageHandler = lazy(() => {
  const esms = buildEsmsReader(doc, config.messagesTable);
  return readApi(getZaloMessage(events, buildZaloLinkStore(doc, config.messagesTable),
    async (tenant, requestId, limit) => (await esms.headsByRequestId(tenant, requestId, limit)).heads.map((head) => head.smsId)));
});
export const oaFollowersHandler = lazy(() => readApi(listFollowers(buildFollowerStore(doc, config.messagesTable))));
export const oaConversationHandler = lazy(() => readApi(listConversation(events)));
export const oaStateHandler = lazy(() => readApi(getOaState(state, buildTokenStore(doc, config.messagesTable))));
export const zaloJourneyHandler = lazy(() => readApi(getJourney(state)));
