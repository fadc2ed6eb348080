import { listHandler } from '../lib/wiring/suppressions';

/** GET /api/suppressions */
export const handler = listHandler;
