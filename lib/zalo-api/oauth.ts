/**
 * Zalo's OAuth v4 for Official Accounts and the OA-info call: the adapter of the `ZaloOAuthClient` port
 * (lib/zalo-oa/ports.ts). Exchanges an authorization code, refreshes a token pair (refresh tokens are
 * single-use: the answer carries the next one), and asks which OA a token belongs to. Errors carry
 * Zalo's error code and name only, never a token.
 */
import * as v from 'valibot';
import { ZaloOAuthError } from '../errors';
import type { TokenGrant, ZaloOAuthClient } from '../zalo-oa/ports';
import { callZalo, type CallPolicy } from './http';

/**
 * A refresh whose answer is lost after Zalo rotated the token burns it: wait long (≈ 30 s) and retry only
 * what never reached an answer. The code exchange and getoa run inside the callback's request (API
 * Gateway gives up at 29 s), and a code is single-use too, so they get one shorter try.
 */
export const REFRESH_POLICY: CallPolicy = { timeoutMs: 30_000, attempts: 3, backoffMs: 1000 };
export const CALLBACK_POLICY: CallPolicy = { timeoutMs: 10_000, attempts: 1, backoffMs: 0 };

/** `expires_in` is a string of seconds in Zalo's answers; tolerate a number. */
const Seconds = v.pipe(v.union([v.pipe(v.string(), v.regex(/^\d+$/)), v.pipe(v.number(), v.integer())]), v.transform(Number), v.minValue(1));

const GrantSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  refresh_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: Seconds,
});
/** Zalo answers errors with HTTP 200 and some of these fields (sometimes `error_name` alone). */
const ErrorSchema = v.looseObject({ error: v.optional(v.union([v.number(), v.string()])), error_name: v.optional(v.string()) });

const toGrant = (body: unknown, status: number): TokenGrant => {
  const grant = v.safeParse(GrantSchema, body);
  if (grant.success) return { accessToken: grant.output.access_token, refreshToken: grant.output.refresh_token, expiresInSeconds: grant.output.expires_in };
  // Whatever else came back (an error, a name alone, half a pair) is a refusal, never a token.
  const error = v.safeParse(ErrorSchema, body);
  const code = error.success && error.output.error !== undefined ? String(error.output.error) : `http-${status}`;
  const name = error.success && error.output.error_name ? error.output.error_name.slice(0, 100) : 'answer has no token pair';
  throw new ZaloOAuthError(code, name);
};

const OaInfoSchema = v.looseObject({ data: v.optional(v.looseObject({ oa_id: v.optional(v.string()), oaid: v.optional(v.string()) })) });

export interface ZaloOAuthOptions {
  oauthBaseUrl: string;
  openApiBaseUrl: string;
  fetch?: typeof fetch;
  refreshPolicy?: CallPolicy;
  callbackPolicy?: CallPolicy;
}

export const buildZaloOAuthClient = (options: ZaloOAuthOptions): ZaloOAuthClient => {
  const withFetch = (policy: CallPolicy): CallPolicy => (options.fetch ? { ...policy, fetch: options.fetch } : policy);
  const refreshPolicy = withFetch(options.refreshPolicy ?? REFRESH_POLICY);
  const callbackPolicy = withFetch(options.callbackPolicy ?? CALLBACK_POLICY);
  const tokenRequest = async (appSecret: string, form: Record<string, string>, policy: CallPolicy): Promise<TokenGrant> => {
    const answer = await callZalo(`oauth ${form.grant_type}`, `${options.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: appSecret },
      body: new URLSearchParams(form).toString(),
    }, policy);
    return toGrant(answer.body, answer.status);
  };
  return {
    exchangeCode: ({ appId, appSecret, code, codeVerifier }) =>
      tokenRequest(appSecret, { code, app_id: appId, grant_type: 'authorization_code', ...(codeVerifier ? { code_verifier: codeVerifier } : {}) }, callbackPolicy),
    refresh: ({ appId, appSecret, refreshToken }) =>
      tokenRequest(appSecret, { refresh_token: refreshToken, app_id: appId, grant_type: 'refresh_token' }, refreshPolicy),
    async oaIdOf(accessToken) {
      try {
        const answer = await callZalo('getoa', `${options.openApiBaseUrl.replace(/\/$/, '')}/v2.0/oa/getoa`, { headers: { access_token: accessToken } }, callbackPolicy);
        const info = v.safeParse(OaInfoSchema, answer.body);
        const oaId = info.success ? info.output.data?.oa_id ?? info.output.data?.oaid : undefined;
        return oaId || undefined;
      } catch {
        return undefined;
      }
    },
  };
};
