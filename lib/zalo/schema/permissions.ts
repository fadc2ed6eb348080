import { group, Id, soft } from './common';
import { inferredEvent } from './inferred';

/**
 * The OA admin revoked the app's access to the OA (inferred shape: only the name is documented). The OA
 * is marked disconnected (lib/inbound/zalo.ts): its tokens are never refreshed again until it reconnects.
 */
const PermissionRevoked = inferredEvent('permission_revoked', { oa_id: soft(Id), oaId: soft(Id) });

export const permissions = group([PermissionRevoked], (event) => {
  const oaId = event.oa_id ?? event.oaId;
  return { family: 'permission_revoked', oaId, msgIds: [], key: [event.event_name, oaId, event.timestamp] };
});
