import { listTenantsHandler } from '../lib/wiring/tenants';

/** GET /api/admin/tenants (admin key) */
export const handler = listTenantsHandler;
