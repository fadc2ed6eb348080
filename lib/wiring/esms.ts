import type { EsmsRoute } from '../esms/channels';
import { buildEsmsIngest } from '../esms/ingest';
import { ownerOfSecret } from '../http/secrets';
import { logger, telemetry } from '../observability/telemetry';
import { buildEsmsStore } from '../store/esms-messages';
import { DEFAULT_TENANT } from '../table/names';
import { withTelemetry } from './lambda';
import { config, doc, rejectedStore } from './shared';

const ingest = buildEsmsIngest({
  // The environment's tokens belong to the tenant `default`.
  tenantOfToken: (token) => ownerOfSecret(token, config.esmsTokens.map((secret) => [secret, DEFAULT_TENANT] as const)),
  store: buildEsmsStore(doc, config.messagesTable),
  rejected: rejectedStore,
  now: Date.now,
  telemetry,
  log: logger,
});

/** The Lambda handler of one eSMS callback route. */
export const esmsCallbackHandler = (route: EsmsRoute) => withTelemetry(ingest(route), ['esms-callback-tokens']);
