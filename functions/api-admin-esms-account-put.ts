import { putEsmsAccountHandler } from '../lib/wiring/tenants';

/** PUT /api/admin/tenants/{id}/esms-account (admin key) */
export const handler = putEsmsAccountHandler;
