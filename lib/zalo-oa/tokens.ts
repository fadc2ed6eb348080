/** Turning Zalo's token answers into sealed records, and back. The AAD binds each token to its tenant, OA and field. */
import type { NewTokens, TokenRecord } from '../table/oauth';
import { open, seal } from '../seal';
import type { TokenGrant } from './ports';

const context = (tenant: string, oaId: string, field: 'access' | 'refresh') => `zalo-oa-token:${tenant}:${oaId}:${field}`;

export const sealGrant = (
  key: Buffer,
  grant: TokenGrant,
  meta: { tenant: string; oaId: string; appId: string; now: number; connectedAt: number },
): NewTokens => ({
  tenant: meta.tenant,
  oaId: meta.oaId,
  appId: meta.appId,
  access: seal(key, grant.accessToken, context(meta.tenant, meta.oaId, 'access')),
  refresh: seal(key, grant.refreshToken, context(meta.tenant, meta.oaId, 'refresh')),
  accessExpiresAt: meta.now + grant.expiresInSeconds * 1000,
  connectedAt: meta.connectedAt,
  refreshedAt: meta.now,
});

export const openRefreshToken = (key: Buffer, record: NewTokens): string => open(key, record.refresh, context(record.tenant, record.oaId, 'refresh'));
export const openAccessToken = (key: Buffer, record: NewTokens): string => open(key, record.access, context(record.tenant, record.oaId, 'access'));

/** Re-exported for callers that hold a stored record. */
export type { TokenRecord };
