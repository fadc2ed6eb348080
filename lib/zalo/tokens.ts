/** Turning Zalo's token answers into sealed records, and back. The AAD binds each token to its OA and field. */
import type { NewTokens, TokenRecord } from '../table/oauth';
import { open, seal } from './crypto';
import type { TokenGrant } from './oauth';

const context = (oaId: string, field: 'access' | 'refresh') => `zalo-oa-token:${oaId}:${field}`;

export const sealGrant = (
  key: Buffer,
  grant: TokenGrant,
  meta: { oaId: string; appId: string; now: number; connectedAt: number; verified: boolean },
): NewTokens => ({
  oaId: meta.oaId,
  appId: meta.appId,
  access: seal(key, grant.accessToken, context(meta.oaId, 'access')),
  refresh: seal(key, grant.refreshToken, context(meta.oaId, 'refresh')),
  accessExpiresAt: meta.now + grant.expiresInSeconds * 1000,
  connectedAt: meta.connectedAt,
  refreshedAt: meta.now,
  verified: meta.verified,
});

export const openRefreshToken = (key: Buffer, record: TokenRecord): string => open(key, record.refresh, context(record.oaId, 'refresh'));
export const openAccessToken = (key: Buffer, record: TokenRecord): string => open(key, record.access, context(record.oaId, 'access'));
