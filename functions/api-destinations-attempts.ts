import { attemptsHandler } from '../lib/wiring/destinations';

/** GET /api/destinations/{id}/attempts */
export const handler = attemptsHandler;
