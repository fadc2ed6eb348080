import { UpstreamError } from '../errors';
/**
 * What the OA onboarding needs from Zalo's OAuth v4: the `ZaloOAuthClient` port and the error it throws.
 * lib/zalo-api/oauth.ts implements it over HTTP; tests use a fake Zalo.
 */

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/** Zalo refused the request (bad code, used refresh token, wrong secret, …) or answered garbage. */
export class ZaloOAuthError extends UpstreamError {
  constructor(code: string, detail: string) {
    super(code, `Zalo OAuth error ${code}: ${detail}`);
    this.name = 'ZaloOAuthError';
  }
}

export interface ZaloOAuthClient {
  /** Throws `ZaloOAuthError` when Zalo refuses; refresh tokens are single-use, so the grant carries the next one. */
  exchangeCode(input: { appId: string; appSecret: string; code: string; codeVerifier?: string }): Promise<TokenGrant>;
  refresh(input: { appId: string; appSecret: string; refreshToken: string }): Promise<TokenGrant>;
  /** The OA id the token belongs to, or undefined when Zalo's answer does not say. */
  oaIdOf(accessToken: string): Promise<string | undefined>;
}
