import { getTenantHandler } from '../lib/wiring/tenants';

/** GET /api/admin/tenants/{id} (admin key) */
export const handler = getTenantHandler;
