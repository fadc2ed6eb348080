import { listHandler } from '../lib/wiring/destinations';

/** GET /api/destinations */
export const handler = listHandler;
