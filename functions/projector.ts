import { projectorHandler } from '../lib/wiring/projector';

/** The messages table's stream → heads of batches moved to their best callback, and the phone index. */
export const handler = projectorHandler;
