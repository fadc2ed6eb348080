import { createHandler } from '../lib/wiring/destinations';

/** POST /api/destinations */
export const handler = createHandler;
