import { deleteTenantHandler } from '../lib/wiring/tenants';

/** DELETE /api/admin/tenants/{id}?confirm={id} (admin key) */
export const handler = deleteTenantHandler;
