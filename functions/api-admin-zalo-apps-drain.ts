import { drainZaloAppHandler } from '../lib/wiring/tenants';

/** POST /api/admin/tenants/{id}/zalo-apps/{appId}/drain (admin key) */
export const handler = drainZaloAppHandler;
