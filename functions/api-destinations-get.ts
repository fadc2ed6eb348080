import { getHandler } from '../lib/wiring/destinations';

/** GET /api/destinations/{id} */
export const handler = getHandler;
