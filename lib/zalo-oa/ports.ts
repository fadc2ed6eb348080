/**
 * What OA access (connection, tokens, refresh, followers backfill) needs from storage and from Zalo.
 * Storage: lib/store/oauth-tokens.ts, lib/store/oauth-flows.ts, lib/store/backfill-jobs.ts and
 * lib/store/followers.ts; Zalo's OAuth v4 and OpenAPI: lib/zalo-api/ (the fake Zalo in tests and `npm start`).
 */
import type { BackfillJob, NewTokens, OAuthFlow, TokenRecord } from '../table/oauth';

export interface TokenStore {
  /** A new authorization: the latest one wins whatever was stored, and clears a revocation and a lease. */
  save(record: NewTokens): Promise<void>;
  /** A refresh: stored only while `lease` is held and nobody wrote a new pair since `expectedVer`. */
  replace(record: NewTokens, expectedVer: number, leaseId: string): Promise<boolean>;
  get(tenant: string, oaId: string): Promise<TokenRecord | undefined>;
  /** Every connected (not revoked) OA whose access token expires before `before` (epoch ms). */
  expiringBefore(before: number): Promise<TokenRecord[]>;
  /**
   * Takes the OA's refresh lease until `until`, if the record is still at `record.ver` and no other lease
   * is live at `now`. Taken before Zalo is called: two refreshers never spend one refresh token twice.
   */
  lease(record: TokenRecord, leaseId: string, until: number, now: number): Promise<boolean>;
  release(record: TokenRecord, leaseId: string): Promise<void>;
  /**
   * Marks the OA disconnected (never refreshed again, shown in its state view) unless it was connected
   * after `at`: a revocation older than the current authorization changes nothing. False when nothing changed.
   */
  markRevoked(tenant: string, oaId: string, at: number, reason: string): Promise<boolean>;
}

export interface OAuthFlowStore {
  put(flow: Omit<OAuthFlow, 'kind' | 'expiresAt'>): Promise<void>;
  /**
   * Deletes the flow in one conditional write and answers it, if it exists, is still valid at `now` and
   * was started by the browser whose cookie hashes to `browser`; undefined otherwise (used, expired, another browser).
   */
  consume(nonce: string, browser: string, now: number): Promise<OAuthFlow | undefined>;
  /** Stores an issued connection link (lib/zalo-oa/connect-link.ts) until it is used or expires. */
  putLink(link: { nonce: string; tenant: string; appId: string; validUntil: number }): Promise<void>;
  /** Deletes the link in one conditional write: true once, while it is valid at `now`; false after (used, expired). */
  consumeLink(nonce: string, now: number): Promise<boolean>;
}

export interface BackfillJobStore {
  /** Starts (or restarts from offset 0) the backfill of an OA. */
  start(tenant: string, oaId: string, now: number): Promise<BackfillJob>;
  get(tenant: string, oaId: string): Promise<BackfillJob | undefined>;
  /** Records progress; false when the job was restarted meanwhile (its `asOf` changed). */
  progress(job: BackfillJob): Promise<boolean>;
  /** Jobs not done yet. */
  pending(): Promise<BackfillJob[]>;
}

export interface FollowerBackfillWriter {
  /**
   * Records that each user followed the OA as of `asOf`, unless an event whose order is at or after
   * `order` decided otherwise (newest wins, as for events). Answers how many items changed.
   */
  mergeListed(tenant: string, oaId: string, userIds: readonly string[], asOf: number, order: string): Promise<number>;
}

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface ZaloOAuthClient {
  /** Throws `ZaloOAuthError` (lib/errors.ts) when Zalo refuses; an answer without `access_token` is a refusal. */
  exchangeCode(input: { appId: string; appSecret: string; code: string; codeVerifier?: string }): Promise<TokenGrant>;
  /** Refresh tokens are single-use, so the grant carries the next one. */
  refresh(input: { appId: string; appSecret: string; refreshToken: string }): Promise<TokenGrant>;
  /** The OA id the token belongs to, or undefined when Zalo's answer does not say (or Zalo fails). */
  oaIdOf(accessToken: string): Promise<string | undefined>;
}

export interface FollowerPage {
  userIds: string[];
  total: number;
}

export interface ZaloOpenApi {
  /** One page of the OA's followers (`/v3.0/oa/user/getlist`, `count` ≤ 50). */
  followers(accessToken: string, page: { offset: number; count: number }): Promise<FollowerPage>;
}
