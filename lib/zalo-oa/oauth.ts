import { UpstreamError } from '../errors';
/**
 * What the OA access needs from Zalo's OAuth v4 and OpenAPI: the ports and the errors they throw.
 * lib/zalo-api/ implements them over HTTP; tests and `npm start` use the fake Zalo (infra/fakes/zalo-api.ts).
 */

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/** Zalo answered and refused (bad code, spent or revoked refresh token, wrong secret), or answered without a token. */
export class ZaloOAuthError extends UpstreamError {
  constructor(code: string, detail: string) {
    super(code, `Zalo OAuth error ${code}: ${detail}`);
    this.name = 'ZaloOAuthError';
  }
}

/** Zalo could not be reached or answered 5xx (after the retries): nothing is known about the request's fate. */
export class ZaloUnavailableError extends UpstreamError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('unavailable', `Zalo unavailable: ${detail}`, options);
    this.name = 'ZaloUnavailableError';
  }
}

export interface ZaloOAuthClient {
  /** Throws `ZaloOAuthError` when Zalo refuses; an answer without `access_token` is a refusal. */
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
