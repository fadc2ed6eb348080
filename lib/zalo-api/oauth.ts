/**
 * Zalo's OAuth v4 for Official Accounts over fetch: the adapter of the `ZaloOAuthClient` port
 * (lib/zalo/oauth.ts). Exchanges an authorization code, refreshes a token pair (refresh tokens are
 * single-use: the answer carries the next one), and asks which OA a token belongs to. Errors carry
 * Zalo's error code and name only, never a token.
 */
import * as v from 'valibot';
import { ZaloOAuthError, type TokenGrant, type ZaloOAuthClient } from '../zalo/oauth';

const TIMEOUT_MS = 5000;

/** `expires_in` is a string of seconds in Zalo's answers; tolerate a number. */
const Seconds = v.pipe(v.union([v.pipe(v.string(), v.regex(/^\d+$/)), v.pipe(v.number(), v.integer())]), v.transform(Number), v.minValue(1));

const GrantSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  refresh_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: Seconds,
});
/** Zalo answers errors with HTTP 200 and these fields. */
const ErrorSchema = v.looseObject({ error: v.union([v.number(), v.string()]), error_name: v.optional(v.string()) });

const readJson = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ZaloOAuthError(`http-${response.status}`, 'answer is not JSON');
  }
};

const toGrant = (body: unknown, status: number): TokenGrant => {
  const grant = v.safeParse(GrantSchema, body);
  if (grant.success) return { accessToken: grant.output.access_token, refreshToken: grant.output.refresh_token, expiresInSeconds: grant.output.expires_in };
  const error = v.safeParse(ErrorSchema, body);
  if (error.success) throw new ZaloOAuthError(String(error.output.error), (error.output.error_name ?? 'refused').slice(0, 100));
  throw new ZaloOAuthError(`http-${status}`, 'answer has no token pair');
};

const OaInfoSchema = v.looseObject({ data: v.optional(v.looseObject({ oa_id: v.optional(v.string()), oaid: v.optional(v.string()) })) });

export const buildZaloOAuthClient = (options: { oauthBaseUrl: string; openApiBaseUrl: string; fetch?: typeof fetch }): ZaloOAuthClient => {
  const send = options.fetch ?? fetch;
  const tokenRequest = async (appSecret: string, form: Record<string, string>): Promise<TokenGrant> => {
    const response = await send(`${options.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: appSecret },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return toGrant(await readJson(response), response.status);
  };
  return {
    exchangeCode: ({ appId, appSecret, code, codeVerifier }) =>
      tokenRequest(appSecret, { code, app_id: appId, grant_type: 'authorization_code', ...(codeVerifier ? { code_verifier: codeVerifier } : {}) }),
    refresh: ({ appId, appSecret, refreshToken }) =>
      tokenRequest(appSecret, { refresh_token: refreshToken, app_id: appId, grant_type: 'refresh_token' }),
    async oaIdOf(accessToken) {
      const response = await send(`${options.openApiBaseUrl.replace(/\/$/, '')}/v2.0/oa/getoa`, {
        headers: { access_token: accessToken },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const info = v.safeParse(OaInfoSchema, await readJson(response));
      return info.success ? info.output.data?.oa_id ?? info.output.data?.oaid : undefined;
    },
  };
};
