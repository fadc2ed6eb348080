import { buildEsmsBufferedStore } from '../inbound/esms';
import { buildInboundDrain } from '../inbound/drain';
import { buildZaloBufferedStore } from '../inbound/zalo';
import { logger, telemetry } from '../observability/telemetry';
import { buildSqsClient, visibilityChanger } from '../queue/sqs';
import { buildEsmsStore } from '../store/esms-messages';
import { buildDuplicateCounter } from '../store/usage';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildZaloEventStore } from '../store/zalo-events';
import { buildZaloStateStore } from '../store/zalo-state';
import { config, doc, messageRetention, rejectedStore } from './shared';

const drain = buildInboundDrain({
  esms: buildEsmsBufferedStore({
    store: buildEsmsStore(doc, config.messagesTable, messageRetention, config.batchRecipientsPerShard), rejected: rejectedStore,
    duplicates: buildDuplicateCounter(doc, config.countersTable), log: logger,
  }),
  zalo: buildZaloBufferedStore({
    events: buildZaloEventStore(doc, config.messagesTable), state: buildZaloStateStore(doc, config.messagesTable),
    revocations: buildTokenStore(doc, config.messagesTable), rejected: rejectedStore, telemetry, log: logger,
  }),
  retryLater: visibilityChanger(buildSqsClient(config.sqsEndpoint), config.inboundBufferQueueUrl ?? ''),
  telemetry,
  log: logger,
});

export const inboundDrainHandler: typeof drain = async (event) => {
  try {
    return await drain(event);
  } finally {
    telemetry.flush({ force: true });
  }
};
