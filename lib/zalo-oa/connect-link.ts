/**
 * The link an OA admin opens to connect an OA (issue 22 finding 12): issued by the tenant that owns the app
 * (its API key, or the admin key for a tenant), for one app, valid 72 hours, usable once. The link carries
 * the tenant, the app, a nonce and its expiry, MACed with HMAC-SHA256 under the state secret (a forged or
 * altered link is refused without any read or write); the nonce names a stored item that `/zalo/oa-connect`
 * deletes with one conditional write, so a link starts at most one connection.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { RequestError } from '../errors';

/** Long enough for the link to reach the OA admin and be opened; short enough that a leaked one soon dies. */
export const LINK_TTL_MS = 72 * 3600_000;

const PayloadSchema = v.object({ t: v.string(), a: v.pipe(v.string(), v.minLength(1)), n: v.string(), e: v.number() });
export type ConnectLink = v.InferOutput<typeof PayloadSchema>;

const mac = (secret: string, payload: string): string => createHmac('sha256', secret).update(`zalo-oa-link:${payload}`).digest('base64url');

/** A new link's token (`<payload>.<mac>`) and what it names. */
export const issueConnectLink = (secret: string, input: { tenant: string; appId: string; now: number }): { token: string; link: ConnectLink } => {
  const link: ConnectLink = { t: input.tenant, a: input.appId, n: randomBytes(16).toString('base64url'), e: input.now + LINK_TTL_MS };
  const payload = Buffer.from(JSON.stringify(link)).toString('base64url');
  return { token: `${payload}.${mac(secret, payload)}`, link };
};

const refused = (message: string) => new RequestError(403, 'link', message);

/** What a link names; a 403 when it is missing, forged, altered or expired. */
export const verifyConnectLink = (secret: string, token: string | undefined, now: number): ConnectLink => {
  if (!token) throw refused('an OA is connected through a link its tenant issues (POST /api/zalo/oa-connect-links): ask the platform for one');
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined || token.length > 1024) throw refused('this connection link was not issued by this service');
  // Compare the canonical text (base64url decoding ignores spare bits, so other spellings must not pass).
  const expected = Buffer.from(mac(secret, payload));
  const candidate = Buffer.from(given);
  if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) throw refused('this connection link was not issued by this service');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused('this connection link was not issued by this service');
  }
  const parsed = v.safeParse(PayloadSchema, decoded);
  if (!parsed.success) throw refused('this connection link was not issued by this service');
  if (parsed.output.e < now) throw refused('this connection link has expired: ask the platform for a new one');
  return parsed.output;
};
