import { oaStateHandler } from '../lib/wiring/zalo';

/** GET /api/oa/{oaId}/state */
export const handler = oaStateHandler;
