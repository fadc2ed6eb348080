import { destinationDeliveryHandler } from '../lib/wiring/delivery';

/** The delivery queue → each event POSTed, signed, to its destination; failures re-queued on the retry schedule. */
export const handler = destinationDeliveryHandler;
