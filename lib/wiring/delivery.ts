/**
 * The delivery function (lib/destinations/deliver.ts) over the messages table, the delivery queue, the
 * token key ring that opens destination secrets, DNS and node's HTTP client.
 */
import type { SQSEvent } from 'aws-lambda';
import { buildDeliveryHandler } from '../destinations/deliver';
import { parseRetrySchedule } from '../destinations/schedule';
import { METRICS } from '../observability/metric-names';
import { logger, telemetry } from '../observability/telemetry';
import { buildFanOut } from '../destinations/fan-out';
import { buildDestinationStore, buildEventLog } from '../store/destinations';
import { buildRegistryStore } from '../store/registry';
import { buildInFlightSlots } from '../store/destination-slots';
import { buildTenantSuspension } from '../tenants/suspension';
import { resolveAll } from '../webhook-client/dns';
import { postEvent } from '../webhook-client/post';
import { enqueueDeliveries } from './delivery-queue';
import { openRegistry } from './registry';
import { loadSecrets } from './secrets';
import { config, doc } from './shared';

const store = buildDestinationStore(doc, config.messagesTable);
const registry = config.registryTable === undefined ? undefined : buildRegistryStore(doc, config.registryTable);
const suspended = registry === undefined ? undefined : buildTenantSuspension({
  load: async (tenant) => (await registry.getTenant(tenant))?.suspended === true,
  ttlMs: config.registryCacheTtlMs,
});
const deliverBatch = buildDeliveryHandler({
  store,
  publish: buildFanOut({ events: buildEventLog(doc, config.messagesTable), destinations: (tenant) => store.list(tenant), enqueue: enqueueDeliveries, now: Date.now, cacheMs: 0 }),
  open: openRegistry,
  enqueue: enqueueDeliveries,
  post: postEvent,
  resolve: resolveAll,
  policy: { allowLocal: config.destinationAllowLocal },
  schedule: parseRetrySchedule(config.destinationRetrySchedule),
  now: Date.now,
  log: logger,
  ...(suspended && { suspended }),
  countDisabled: () => telemetry.count(METRICS.destinationsDisabled),
  slots: buildInFlightSlots(doc, config.messagesTable),
  maxInFlight: config.destinationMaxInFlight,
  concurrency: 10,
});

export const destinationDeliveryHandler = async (event: SQSEvent) => {
  try {
    await loadSecrets(['zalo-token-key']);
    return await deliverBatch(event);
  } finally {
    telemetry.flush({ force: true });
  }
};
