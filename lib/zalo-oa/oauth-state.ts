/**
 * The OAuth `state` and what binds it: the state carries the app id, a nonce and an expiry, MACed with
 * HMAC-SHA256 under a server secret (a forged state is refused without a read); the nonce names a stored
 * flow that one callback consumes (single-use), and that flow holds the hash of a cookie set in the browser
 * that started it (a state opened in another browser is refused). The PKCE verifier is derived from the nonce.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { RequestError } from '../errors';

/** Long enough for an OA admin to log in and consent; short enough that a leaked link soon dies. */
export const STATE_TTL_MS = 15 * 60_000;

/** The cookie binding a flow to its browser (HttpOnly, SameSite=Lax: Zalo's redirect back is a top-level GET). */
export const FLOW_COOKIE = 'zalo_oa_flow';

const PayloadSchema = v.object({ a: v.pipe(v.string(), v.minLength(1)), n: v.string(), e: v.number() });
export type StatePayload = v.InferOutput<typeof PayloadSchema>;

const mac = (secret: string, payload: string): Buffer => createHmac('sha256', secret).update(`zalo-oa-state:${payload}`).digest();

export const newNonce = (): string => randomBytes(16).toString('base64url');

export const issueState = (secret: string, appId: string, now: number, ttlMs = STATE_TTL_MS, nonce = newNonce()): string => {
  const payload = Buffer.from(JSON.stringify({ a: appId, n: nonce, e: now + ttlMs })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
};

const refused = (message: string) => new RequestError(401, 'state', message);

/** The state's app id and nonce; a 400 when absent, a 401 when forged, altered or expired. */
export const verifyState = (secret: string, state: string | undefined, now: number): StatePayload => {
  if (!state) throw new RequestError(400, 'state', 'state is missing: start from /zalo/oa-connect');
  const [payload, given, extra] = state.split('.');
  if (!payload || !given || extra !== undefined || state.length > 512) throw refused('state was not issued by this service');
  // Compare the canonical text, not decoded bytes: base64url decoding ignores the last character's spare
  // bits, so several spellings decode to the same mac and all but the issued one must be refused.
  const expected = Buffer.from(mac(secret, payload).toString('base64url'));
  const candidate = Buffer.from(given);
  // Equal lengths first: timingSafeEqual throws otherwise, and a length mismatch reveals nothing secret.
  if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) throw refused('state was not issued by this service');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused('state was not issued by this service');
  }
  const parsed = v.safeParse(PayloadSchema, decoded);
  if (!parsed.success) throw refused('state was not issued by this service');
  if (parsed.output.e < now) throw refused('state has expired: start the connection again');
  return parsed.output;
};

/** RFC 7636 S256 pair derived from the state's nonce. */
export const pkce = (secret: string, nonce: string): { verifier: string; challenge: string } => {
  const verifier = createHmac('sha256', secret).update(`zalo-oa-pkce:${nonce}`).digest('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** A fresh browser binding: the cookie value, and the hash the flow stores (the table never holds the cookie). */
export const newBrowserBinding = (): { cookie: string; hash: string } => {
  const cookie = randomBytes(32).toString('base64url');
  return { cookie, hash: browserHash(cookie) };
};

export const browserHash = (cookie: string): string => createHash('sha256').update(`zalo-oa-browser:${cookie}`).digest('hex');

/** The flow cookie's value among a request's cookies (`name=value` strings), if any. */
export const flowCookieOf = (cookies: readonly string[]): string | undefined => {
  for (const cookie of cookies) {
    const eq = cookie.indexOf('=');
    if (eq > 0 && cookie.slice(0, eq).trim() === FLOW_COOKIE) {
      const value = cookie.slice(eq + 1).trim();
      if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
    }
  }
  return undefined;
};

/**
 * The Set-Cookie of a flow: `Secure` everywhere except a callback on plain-http localhost (the local stack),
 * where a browser would drop a Secure cookie. `value` empty clears it.
 */
export const flowCookieHeader = (value: string, callbackUrl: string): string => {
  const url = new URL(callbackUrl);
  const local = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const maxAge = value === '' ? 0 : Math.floor(STATE_TTL_MS / 1000);
  return `${FLOW_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${local ? '' : '; Secure'}`;
};
