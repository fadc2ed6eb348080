import { putZaloAppHandler } from '../lib/wiring/tenants';

/** PUT /api/admin/tenants/{id}/zalo-apps/{appId} (admin key) */
export const handler = putZaloAppHandler;
