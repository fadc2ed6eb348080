import { patchHandler } from '../lib/wiring/destinations';

/** PATCH /api/destinations/{id} */
export const handler = patchHandler;
