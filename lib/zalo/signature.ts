import { createHash, timingSafeEqual } from 'node:crypto';
import { ParseError, RequestError } from '../errors';
import { headerValue, type Headers } from '../http/headers';

export const ZALO_SIGNATURE_HEADER = 'X-ZEvent-Signature';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * How old a signed `timestamp` may be. Zalo's documented retry ladder ends ≈ 1.8 h after the event; an
 * older source says retries last 12 h. 26 h covers both with margin and clock skew; a late duplicate is
 * harmless because storage dedups.
 */
export const ZALO_MAX_AGE_MS = 26 * HOUR;
/** How far ahead of our clock a `timestamp` may be (clock skew). */
export const ZALO_MAX_SKEW_MS = 10 * MINUTE;
export const ZALO_TIMESTAMP_WINDOW = { past: ZALO_MAX_AGE_MS, future: ZALO_MAX_SKEW_MS } as const;

export interface VerifyZaloInput {
  /** The body exactly as received (base64-decoded if API Gateway encoded it). */
  rawBody: string;
  headers: Headers;
  /** app_id → OA secret key. */
  secrets: Record<string, string>;
  /** Epoch ms. */
  now: number;
  windowMs?: { past: number; future: number };
}

export interface VerifiedZaloRequest {
  appId: string;
  timestamp: number;
  envelope: Record<string, unknown>;
}

const MAC = /^mac=([0-9a-f]{64})$/;
const DIGITS = /^\d{1,16}$/;

const unauthorized = (field: string, message: string) => new RequestError(401, field, message);

/**
 * Authenticates a Zalo webhook: `X-ZEvent-Signature` must be `mac=` + sha256hex(app_id + raw body +
 * timestamp + OA secret key), then the signed `timestamp` must fall inside the window. Runs before any
 * schema parsing; error messages never carry the secret or the expected mac.
 */
export const verifyZaloRequest = (input: VerifyZaloInput): VerifiedZaloRequest => {
  const envelope = parseBody(input.rawBody);
  const appId = envelope.app_id;
  if (typeof appId !== 'string' || appId === '') throw unauthorized('app_id', 'app_id is missing from the body');
  const timestamp = envelope.timestamp;
  if (typeof timestamp !== 'string' || !DIGITS.test(timestamp)) {
    throw unauthorized('timestamp', 'timestamp is missing from the body or is not a string of epoch-ms digits');
  }
  const given = MAC.exec(headerValue(input.headers, ZALO_SIGNATURE_HEADER)?.trim() ?? '')?.[1];
  if (given === undefined) {
    throw unauthorized(ZALO_SIGNATURE_HEADER, `${ZALO_SIGNATURE_HEADER} is missing or not "mac=" + 64 lowercase hex`);
  }
  const secret = Object.hasOwn(input.secrets, appId) ? input.secrets[appId] : undefined;
  if (typeof secret !== 'string' || secret === '') throw unauthorized('app_id', `unknown app_id ${appId}`);
  const expected = createHash('sha256').update(appId + input.rawBody + timestamp + secret, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    throw unauthorized(ZALO_SIGNATURE_HEADER, `${ZALO_SIGNATURE_HEADER} does not match the body`);
  }
  const time = Number(timestamp);
  checkFreshness(time, input.now, input.windowMs ?? ZALO_TIMESTAMP_WINDOW);
  return { appId, timestamp: time, envelope };
};

const parseBody = (rawBody: string): Record<string, unknown> => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new ParseError('body', 'body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ParseError('body', 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
};

const checkFreshness = (time: number, now: number, window: { past: number; future: number }): void => {
  const age = now - time;
  if (age > window.past) {
    const limit = duration(window.past);
    throw unauthorized('timestamp', `timestamp is ${duration(age)} old; events older than ${limit} are refused`);
  }
  if (-age > window.future) {
    const limit = duration(window.future);
    throw unauthorized('timestamp', `timestamp is ${duration(-age)} in the future; at most ${limit} is allowed`);
  }
};

const duration = (ms: number): string => {
  const minutes = Math.floor(ms / MINUTE);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : minutes > 0 ? `${minutes} min` : `${Math.floor(ms / 1000)} s`;
};
