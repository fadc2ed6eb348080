import { patchTenantHandler } from '../lib/wiring/tenants';

/** PATCH /api/admin/tenants/{id} (admin key) */
export const handler = patchTenantHandler;
