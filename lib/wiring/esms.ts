import type { EsmsRoute } from '../esms/channels';
import { buildEsmsIngest } from '../inbound/esms';
import { logger, telemetry } from '../observability/telemetry';
import { buildEsmsStore } from '../store/esms-messages';
import { buildDuplicateCounter } from '../store/usage';
import { inboundBuffer } from './buffer';
import { withTelemetry } from './lambda';
import { resolver } from './registry';
import { config, doc, messageRetention, rejectedStore } from './shared';

const ingest = buildEsmsIngest({
  // The environment's tokens belong to the tenant `default`; the registry's are cached per instance.
  tenantOfToken: resolver.tenantOfToken,
  store: buildEsmsStore(doc, config.messagesTable, messageRetention, config.batchRecipientsPerShard),
  duplicates: buildDuplicateCounter(doc, config.countersTable),
  rejected: rejectedStore,
  buffer: inboundBuffer(),
  now: Date.now,
  telemetry,
  log: logger,
});

/** The Lambda handler of one eSMS callback route. */
export const esmsCallbackHandler = (route: EsmsRoute) => withTelemetry(ingest(route), ['esms-callback-tokens']);
