import { deleteZaloAppHandler } from '../lib/wiring/tenants';

/** DELETE /api/admin/tenants/{id}/zalo-apps/{appId} (admin key) */
export const handler = deleteZaloAppHandler;
