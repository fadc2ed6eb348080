import { followersBackfillAdminHandler } from '../lib/wiring/onboarding';

/** POST /api/admin/zalo/followers-backfill {"tenant","oaId","restart"} (admin key) */
export const handler = followersBackfillAdminHandler;
