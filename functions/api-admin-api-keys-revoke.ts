import { revokeApiKeyHandler } from '../lib/wiring/tenants';

/** DELETE /api/admin/tenants/{id}/api-keys/{keyId} (admin key) */
export const handler = revokeApiKeyHandler;
