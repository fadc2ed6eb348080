import { replayHandler } from '../lib/wiring/destinations';

/** POST /api/destinations/{id}/replay */
export const handler = replayHandler;
