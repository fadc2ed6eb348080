import { createApiKeyHandler } from '../lib/wiring/tenants';

/** POST /api/admin/tenants/{id}/api-keys (admin key) */
export const handler = createApiKeyHandler;
