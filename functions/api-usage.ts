import { usageHandler } from '../lib/wiring/usage';

/** GET /api/usage */
export const handler = usageHandler;
