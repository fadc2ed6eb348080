/** Turning Zalo's token answers into sealed records, and back. The AAD binds each token to its tenant, OA and field. */
import type { NewTokens, TokenRecord } from '../table/oauth';
import { open, seal, type TokenKeys } from '../seal';
import type { TokenGrant } from './ports';

const context = (tenant: string, oaId: string, field: 'access' | 'refresh') => `zalo-oa-token:${tenant}:${oaId}:${field}`;

export const sealGrant = (
  key: TokenKeys,
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

export const openRefreshToken = (key: TokenKeys, record: NewTokens): string => open(key, record.refresh, context(record.tenant, record.oaId, 'refresh'));
export const openAccessToken = (key: TokenKeys, record: NewTokens): string => open(key, record.access, context(record.tenant, record.oaId, 'access'));

/** Re-exported for callers that hold a stored record. */
export type { TokenRecord };

/** A stored pair sealed again with the ring's current key (after a key rotation), or undefined when it already is. */
export const resealedTokens = (keys: readonly Buffer[], record: Pick<NewTokens, 'tenant' | 'oaId' | 'access' | 'refresh'>): { access: string; refresh: string } | undefined => {
  const fields = { access: record.access, refresh: record.refresh };
  const current = keys.slice(0, 1);
  const stale = (['access', 'refresh'] as const).filter((field) => {
    try {
      open(current, fields[field], context(record.tenant, record.oaId, field));
      return false;
    } catch {
      return true;
    }
  });
  if (stale.length === 0) return undefined;
  for (const field of stale) fields[field] = seal(current, open(keys, fields[field], context(record.tenant, record.oaId, field)), context(record.tenant, record.oaId, field));
  return fields;
};
