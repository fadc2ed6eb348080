import { getHandler } from '../lib/wiring/suppressions';

/** GET /api/suppressions/{phone} */
export const handler = getHandler;
