import { rotateHandler } from '../lib/wiring/destinations';

/** POST /api/destinations/{id}/rotate-secret */
export const handler = rotateHandler;
