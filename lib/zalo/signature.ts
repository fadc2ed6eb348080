import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestError } from '../errors';
import { headerValue, type Headers } from '../headers';

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

/**
 * The one answer to every refused signature (no header, wrong mac, unknown app, no app id, stale or
 * future timestamp, a body that is not a JSON object): the caller learns nothing about which check failed
 * or which app ids exist. The detail is the error's `cause`, for the log and the metric only.
 */
export const ZALO_REFUSED_MESSAGE = 'the request is not signed by a registered Zalo app with a fresh timestamp';

export const refused = (detail: string): RequestError =>
  new RequestError(401, ZALO_SIGNATURE_HEADER, ZALO_REFUSED_MESSAGE, { cause: new Error(detail) });

/** The detail of a refusal built by `refused`, for the log (never for the answer). */
export const refusalDetail = (error: RequestError): string => (error.cause instanceof Error ? error.cause.message : error.message);

/** What the body claims, read before any app is looked up: the app id and the timestamp's digits as sent. */
export interface SignedFields {
  envelope: Record<string, unknown>;
  appId: string;
  /** The timestamp's digits exactly as they appear in the raw body: what the mac covers. */
  timestampDigits: string;
  timestamp: number;
}

const DIGITS = /^\d{1,30}$/;
const EPOCH_DIGITS = /^\d{1,16}$/;
/** App ids are digits; anything printable up to 64 characters is looked up (and simply not found). */
const APP_ID = /^[\x21-\x7e]{1,64}$/;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The digits a JSON value was sent as. A string is its own text. A number is read back from the raw body
 * under its key: only a plain run of digits whose value is the parsed one is accepted (an app id past
 * 2^53 keeps its exact digits this way), so `1.7e12` or `1700000000000.0` is refused rather than guessed.
 */
const digitsAsSent = (rawBody: string, key: string, value: unknown): string | undefined => {
  if (typeof value === 'string') return DIGITS.test(value) ? value : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const pattern = new RegExp(`"${escapeRegex(key)}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)`, 'g');
  for (const [, token] of rawBody.matchAll(pattern)) {
    if (token !== undefined && DIGITS.test(token) && Number(token) === value) return token;
  }
  return undefined;
};

/** Reads the app id (`app_id` or `appId`) and the timestamp (string or number) of a body; refuses anything else. */
export const readSignedFields = (rawBody: string): SignedFields => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw refused('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw refused('body is not a JSON object');
  const envelope = body as Record<string, unknown>;
  const appKey = envelope.app_id !== undefined ? 'app_id' : 'appId';
  const claimed = envelope[appKey];
  const appId = typeof claimed === 'string' ? (APP_ID.test(claimed) ? claimed : undefined) : digitsAsSent(rawBody, appKey, claimed);
  if (appId === undefined) throw refused('app_id (or appId) is missing from the body');
  const timestampDigits = digitsAsSent(rawBody, 'timestamp', envelope.timestamp);
  if (timestampDigits === undefined || !EPOCH_DIGITS.test(timestampDigits)) {
    throw refused('timestamp is missing, or not epoch-ms digits as a string or a plain JSON integer');
  }
  return { envelope, appId, timestampDigits, timestamp: Number(timestampDigits) };
};

/** `mac=` optional, either hex case (the official SDK sends bare hex). */
const MAC = /^(?:mac=)?([0-9a-f]{64})$/i;

export interface VerifySignatureInput {
  rawBody: string;
  headers: Headers;
  fields: SignedFields;
  /** The app's OA Secret Key. */
  secret: string;
  /** Epoch ms: the receive time (a kept request is verified later against when it was received). */
  now: number;
  windowMs?: { past: number; future: number };
}

/**
 * `X-ZEvent-Signature` must be sha256hex(app id + raw body + timestamp digits + OA secret key), compared
 * in constant time, then the signed timestamp must fall inside the window.
 */
export const verifyZaloSignature = ({ rawBody, headers, fields, secret, now, windowMs }: VerifySignatureInput): void => {
  const given = MAC.exec(headerValue(headers, ZALO_SIGNATURE_HEADER)?.trim() ?? '')?.[1];
  if (given === undefined) throw refused(`${ZALO_SIGNATURE_HEADER} is missing or not 64 hex digits`);
  if (secret === '') throw refused(`app ${fields.appId} has no OA secret key`);
  const expected = createHash('sha256').update(fields.appId + rawBody + fields.timestampDigits + secret, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex'))) throw refused(`${ZALO_SIGNATURE_HEADER} does not match the body`);
  checkFreshness(fields.timestamp, now, windowMs ?? ZALO_TIMESTAMP_WINDOW);
};

export interface VerifyZaloInput {
  /** The body exactly as received (base64-decoded if API Gateway encoded it). */
  rawBody: string;
  headers: Headers;
  /** The OA Secret Key of the app the body names. */
  secret: string;
  /** Epoch ms; for a request kept while its app was pending, its receive time. */
  now: number;
  windowMs?: { past: number; future: number };
}

export interface VerifiedZaloRequest {
  appId: string;
  timestamp: number;
  envelope: Record<string, unknown>;
}

/** Authenticates one request against one known secret (the webhook, and kept requests of a pending app). */
export const verifyZaloRequest = ({ rawBody, headers, secret, now, windowMs }: VerifyZaloInput): VerifiedZaloRequest => {
  const fields = readSignedFields(rawBody);
  verifyZaloSignature({ rawBody, headers, fields, secret, now, ...(windowMs && { windowMs }) });
  return { appId: fields.appId, timestamp: fields.timestamp, envelope: fields.envelope };
};

const checkFreshness = (time: number, now: number, window: { past: number; future: number }): void => {
  const age = now - time;
  if (age > window.past) throw refused(`timestamp is ${duration(age)} old; events older than ${duration(window.past)} are refused`);
  if (-age > window.future) throw refused(`timestamp is ${duration(-age)} in the future; at most ${duration(window.future)} is allowed`);
};

const duration = (ms: number): string => {
  const minutes = Math.floor(ms / MINUTE);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : minutes > 0 ? `${minutes} min` : `${Math.floor(ms / 1000)} s`;
};
