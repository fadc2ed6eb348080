import { putSiteCodeHandler } from '../lib/wiring/tenants';

/** PUT /api/admin/tenants/{id}/site-verification/{code} (admin key) */
export const handler = putSiteCodeHandler;
