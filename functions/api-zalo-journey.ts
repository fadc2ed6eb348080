import { zaloJourneyHandler } from '../lib/wiring/zalo';

/** GET /api/zalo/journeys/{journeyId} */
export const handler = zaloJourneyHandler;
