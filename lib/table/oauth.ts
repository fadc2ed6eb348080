/**
 * Connected OAs' tokens in the messages table. All OAs share one partition (`OAUTH`, sk `OA#<oa_id>`) so
 * the hourly refresher finds the ones about to expire with one Query; the number of OAs is small.
 * Tokens are sealed (lib/zalo/crypto.ts) before they reach the table, never stored in plaintext.
 */
import * as v from 'valibot';
import { KIND } from './names';

export const OAUTH_PK = 'OAUTH';
export const oauthTokenKey = (oaId: string) => ({ pk: OAUTH_PK, sk: `OA#${oaId}` });

export const TokenRecordSchema = v.object({
  kind: v.literal(KIND.oauth),
  oaId: v.string(),
  appId: v.string(),
  /** Sealed (crypto.ts), never plaintext. */
  access: v.string(),
  refresh: v.string(),
  accessExpiresAt: v.number(),
  connectedAt: v.number(),
  refreshedAt: v.number(),
  /** Zalo confirmed the token belongs to `oaId` (getoa); false when it could not tell. */
  verified: v.boolean(),
  /** Bumped by every write: a refresh is a compare-and-swap on it (refresh tokens are single-use). */
  ver: v.number(),
});
export type TokenRecord = v.InferOutput<typeof TokenRecordSchema>;
/** What a writer supplies; the adapter sets `kind` and bumps `ver`. */
export type NewTokens = Omit<TokenRecord, 'kind' | 'ver'>;
