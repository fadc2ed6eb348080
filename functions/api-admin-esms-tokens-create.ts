import { createEsmsTokenHandler } from '../lib/wiring/tenants';

/** POST /api/admin/tenants/{id}/esms-tokens (admin key) */
export const handler = createEsmsTokenHandler;
