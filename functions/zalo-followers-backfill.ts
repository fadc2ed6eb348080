import { followersBackfillSchedule } from '../lib/wiring/onboarding';

/** Every 15 minutes: resume the pending followers backfills (Zalo's getlist, 50 a page). */
export const handler = followersBackfillSchedule;
