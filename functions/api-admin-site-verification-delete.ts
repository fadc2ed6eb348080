import { deleteSiteCodeHandler } from '../lib/wiring/tenants';

/** DELETE /api/admin/tenants/{id}/site-verification/{code} (admin key) */
export const handler = deleteSiteCodeHandler;
