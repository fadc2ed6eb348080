import { toChange } from '../aws/stream-records';
import { logger, telemetry } from '../observability/telemetry';
import { buildProjector } from '../projector/projector';
import { buildDeadLetterStore } from '../store/dead-letters';
import { buildMessageEraser } from '../store/esms-erasure';
import { erasedPhone } from '../esms/erasure';
import { buildHeadProjection } from '../store/esms-heads';
import { buildPhoneIndexWriter } from '../store/esms-phone-index';
import { buildDestinationsCache, buildFanOut } from '../destinations/fan-out';
import { buildDestinationStore, buildEventLog } from '../store/destinations';
import { buildPhoneItemsReader } from '../store/recipient-items';
import { buildZaloLinkStore } from '../store/zalo-links';
import { buildUnparsedClaims } from '../store/alerts';
import { buildSuppressionWriter } from '../store/suppressions';
import { enqueueDeliveries } from './delivery-queue';
import { config, doc } from './shared';

/** How long the projector keeps a tenant's destinations list before reading it again. */
const DESTINATIONS_CACHE_MS = 10_000;

const destinationsSource = {
  destinations: (tenant: string) => buildDestinationStore(doc, config.messagesTable).list(tenant),
  now: Date.now,
  cacheMs: DESTINATIONS_CACHE_MS,
};
const destinations = buildDestinationsCache(destinationsSource);
const zaloLinks = buildZaloLinkStore(doc, config.messagesTable);

const project = buildProjector({
  heads: buildHeadProjection(doc, config.messagesTable),
  phoneIndex: buildPhoneIndexWriter(doc, config.messagesTable, buildMessageEraser(doc, config.messagesTable, erasedPhone)),
  deadLetters: buildDeadLetterStore(doc, config.countersTable),
  telemetry,
  log: logger,
  now: Date.now,
  toChange,
  suppressions: buildSuppressionWriter(doc, config.messagesTable),
  events: {
    listening: destinations.listening,
    publish: buildFanOut({ events: buildEventLog(doc, config.messagesTable), enqueue: enqueueDeliveries, ...destinationsSource }, destinations),
    phoneItems: buildPhoneItemsReader(doc, config.messagesTable),
    smsIdsOf: zaloLinks.smsIdsOf,
    claimUnparsedHour: buildUnparsedClaims(doc, config.messagesTable),
  },
});

export const projectorHandler: typeof project = async (event) => {
  try {
    return await project(event);
  } finally {
    telemetry.flush({ force: true });
  }
};
