/**
 * OA access in the messages table: every key and stored shape of the OA permission flow, the tokens and
 * the followers backfill jobs.
 * - Tokens: one partition (`OAUTH`, sk `OA#<tenant>#<oa_id>`) so the hourly refresher finds the ones about
 *   to expire with one Query; the number of OAs is small. Tokens are sealed (lib/seal.ts) before
 *   they reach the table, never stored in plaintext.
 * - Flows: one item per started connection (`OAFLOW#<nonce>`), deleted by the callback that uses it
 *   (single-use) and expired by TTL otherwise.
 * - Links: one item per connection link a tenant issued (`OALINK#<nonce>`), deleted by the `/zalo/oa-connect`
 *   that uses it (single-use) and expired by TTL otherwise.
 * - Backfill jobs: one partition (`FBACKFILL`, sk `<tenant>#<oa_id>`) read by the scheduled backfill.
 */
import * as v from 'valibot';
import { KIND, TTL_ATTRIBUTE } from './names';

export const OAUTH_PK = 'OAUTH';
export const TOKEN_SK_PREFIX = 'OA#';
export const oauthTokenKey = (tenant: string, oaId: string) => ({ pk: OAUTH_PK, sk: `${TOKEN_SK_PREFIX}${tenant}#${oaId}` });

export const TokenRecordSchema = v.object({
  kind: v.literal(KIND.oauth),
  tenant: v.string(),
  oaId: v.string(),
  appId: v.string(),
  /** Sealed (crypto.ts), never plaintext. */
  access: v.string(),
  refresh: v.string(),
  accessExpiresAt: v.number(),
  connectedAt: v.number(),
  refreshedAt: v.number(),
  /** Bumped by every new pair: a refresh is a compare-and-swap on it (refresh tokens are single-use). */
  ver: v.number(),
  /** The OA's refresh lease: taken before Zalo is called, so one refresh runs at a time per OA. */
  leaseId: v.optional(v.string()),
  leaseUntil: v.optional(v.number()),
  /** Access was revoked (`permission_revoked`, or Zalo refused the refresh token): never refreshed again. */
  revokedAt: v.optional(v.number()),
  revokedReason: v.optional(v.string()),
});
export type TokenRecord = v.InferOutput<typeof TokenRecordSchema>;
/** What a writer supplies; the adapter sets `kind` and bumps `ver`. */
export type NewTokens = Omit<TokenRecord, 'kind' | 'ver' | 'leaseId' | 'leaseUntil' | 'revokedAt' | 'revokedReason'>;

export const oauthFlowKey = (nonce: string) => ({ pk: `OAFLOW#${nonce}`, sk: 'F' });
/** A connection link a tenant issued (lib/zalo-oa/connect-link.ts): deleted by the one `/zalo/oa-connect` that uses it, or by TTL. */
export const oauthLinkKey = (nonce: string) => ({ pk: `OALINK#${nonce}`, sk: 'L' });

export const OAuthFlowSchema = v.object({
  kind: v.literal(KIND.oauthFlow),
  nonce: v.string(),
  tenant: v.string(),
  appId: v.string(),
  /** sha256 (hex) of the cookie the browser that started the flow holds. */
  browser: v.string(),
  validUntil: v.number(),
  [TTL_ATTRIBUTE]: v.number(),
});
export type OAuthFlow = v.InferOutput<typeof OAuthFlowSchema>;

export const BACKFILL_PK = 'FBACKFILL';
export const backfillJobKey = (tenant: string, oaId: string) => ({ pk: BACKFILL_PK, sk: `${tenant}#${oaId}` });

export const BackfillJobSchema = v.object({
  kind: v.literal(KIND.followerBackfill),
  tenant: v.string(),
  oaId: v.string(),
  /** When the listing started: an event newer than this wins over what the listing says. */
  asOf: v.number(),
  /** The getlist offset of the next page. */
  offset: v.number(),
  /** Zalo's `total` at the last page read. */
  total: v.optional(v.number()),
  merged: v.number(),
  done: v.boolean(),
  updatedAt: v.number(),
  lastError: v.optional(v.string()),
});
export type BackfillJob = v.InferOutput<typeof BackfillJobSchema>;
