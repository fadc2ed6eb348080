import { createTenantHandler } from '../lib/wiring/tenants';

/** POST /api/admin/tenants (admin key) */
export const handler = createTenantHandler;
