import { replayHandler } from '../lib/wiring/api';

/** POST /api/replay */
export const handler = replayHandler;
