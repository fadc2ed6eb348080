/**
 * The destinations routes (lib/api/destinations.ts) over the messages table, the delivery queue and the
 * token key ring that seals their secrets. Each route's function builds its adapters on its first request.
 */
import {
  createDestination, deleteDestination, getDestination, listAttempts, listDestinations, patchDestination, replayWindow, rotateSecret, sendTestEvent,
  type DestinationsDeps,
} from '../api/destinations';
import { buildReadApi } from '../api/read-api';
import { BODY_LIMITS } from '../http/limits';
import { buildDestinationStore, buildEventLog, newDestinationId } from '../store/destinations';
import { resolveAll } from '../webhook-client/dns';
import { withBodyLimit, withSecrets } from './lambda';
import { lazy } from './lazy';
import { openRegistry, readKeyOwner, sealRegistry } from './registry';
import { enqueueDeliveries } from './delivery-queue';
import { config, doc } from './shared';

const keyed = buildReadApi(readKeyOwner);
const api: typeof keyed = (handle) => withSecrets(['api-keys', 'admin-api-keys'], keyed(handle));
/** The routes that seal or open a secret also read the token key ring. */
const sealing: typeof keyed = (handle) => withSecrets(['api-keys', 'admin-api-keys', 'zalo-token-key'], keyed(handle));

const deps = (): DestinationsDeps => ({
  store: buildDestinationStore(doc, config.messagesTable),
  events: buildEventLog(doc, config.messagesTable),
  enqueue: enqueueDeliveries,
  seal: sealRegistry,
  open: openRegistry,
  policy: { allowLocal: config.destinationAllowLocal },
  resolve: resolveAll,
  newId: newDestinationId,
  now: Date.now,
});

export const createHandler = lazy(() => withBodyLimit(BODY_LIMITS.destination, sealing(createDestination(deps()))));
export const listHandler = lazy(() => api(listDestinations(deps())));
export const getHandler = lazy(() => api(getDestination(deps())));
export const patchHandler = lazy(() => withBodyLimit(BODY_LIMITS.destination, api(patchDestination(deps()))));
export const deleteHandler = lazy(() => api(deleteDestination(deps())));
export const rotateHandler = lazy(() => sealing(rotateSecret(deps())));
export const testHandler = lazy(() => api(sendTestEvent(deps())));
export const attemptsHandler = lazy(() => api(listAttempts(deps())));
export const replayHandler = lazy(() => withBodyLimit(BODY_LIMITS.destination, api(replayWindow(deps()))));
