import { rejectedHandler } from '../lib/wiring/api';

/** GET /api/rejected */
export const handler = rejectedHandler;
