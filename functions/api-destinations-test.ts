import { testHandler } from '../lib/wiring/destinations';

/** POST /api/destinations/{id}/test */
export const handler = testHandler;
