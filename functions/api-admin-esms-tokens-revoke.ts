import { revokeEsmsTokenHandler } from '../lib/wiring/tenants';

/** DELETE /api/admin/tenants/{id}/esms-tokens/{tokenId} (admin key) */
export const handler = revokeEsmsTokenHandler;
