import { oaFollowersHandler } from '../lib/wiring/zalo';

/** GET /api/oa/{oaId}/followers */
export const handler = oaFollowersHandler;
