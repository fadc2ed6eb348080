import { createHash } from 'node:crypto';

/**
 * Phone numbers (and Zalo user ids, which eSMS sends in the same field) never reach logs whole, in any
 * spelling: `0901888484`, `84901888484`, `+84 901 888 484`, `0901.888.484`, `(+84) 901-888-484`,
 * `+84+901+888+484`, `%2B84%20901%20888%20484` (and its double encoding). lib/observability/telemetry.ts
 * runs every string a log line carries through `maskDigits`; callers still pass structured phones through
 * `maskPhone`.
 */

/** A structured phone (or user id): all but its last 3 characters starred. */
export const maskPhone = (phone: string | undefined): string | undefined =>
  phone === undefined ? undefined : phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 3)}${phone.slice(-3)}`;

/** What people and encoders put between the digits of a phone: spaces, dots, dashes, plus signs, brackets, slashes, and their %-encodings. */
const SEPARATOR = String.raw`(?:[\s.\-+()/]|%(?:25)*(?:20|2[bBdDeEfF89]))`;
/** A digit that is not one of the hex digits of a %-escape (`%22`, `%2522`): those are not part of a number. */
const DIGIT = String.raw`(?<!%(?:25)*[0-9A-Fa-f]?)\d`;
const NUMBER_LIKE = new RegExp(`${DIGIT}(?:${SEPARATOR}*${DIGIT})+`, 'g');
const SEPARATORS = new RegExp(SEPARATOR, 'g');

/** Fewer digits than this is not a phone (a count, a year, a short code). */
const MIN_DIGITS = 8;
/** No phone has more digits than E.164's 15: an unbroken run of 16+ is an id (Zalo app/OA ids, sequence numbers). */
const MIN_ID_DIGITS = 16;

/** An ISO day (`2026-11-30`, as in every timestamp we log) is not a phone. */
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const maskRun = (run: string): string => {
  const separators = run.match(SEPARATORS) ?? [];
  const digits = run.replace(SEPARATORS, '').length;
  if (digits < MIN_DIGITS || (separators.length === 0 && digits >= MIN_ID_DIGITS) || ISO_DAY.test(run)) return run;
  let toStar = digits - 3;
  // Star digits left to right, leaving separators (and the digits inside %-escapes) as they are.
  return run.replace(new RegExp(`${SEPARATOR}|\\d`, 'g'), (token) => {
    if (token.length !== 1 || !/\d/.test(token) || toStar === 0) return token;
    toStar -= 1;
    return '*';
  });
};

/** A hash or hex id (a SHA-256 prefix, a Zalo msg_id, an SMSID): 16+ hex digits with a letter, standing alone. */
const HEX_TOKEN = /(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{16,}(?![0-9A-Za-z])/g;

/**
 * Masks every phone-like number in free text (raw query strings, bodies, error messages, reasons): 8 or
 * more digits, whatever separates them, keep only their last 3 digits. Digits inside a hex token (a hash,
 * a msg_id) are left alone: they are not a number.
 */
export const maskDigits = (text: string): string => {
  const hex = [...text.matchAll(HEX_TOKEN)].map((match) => [match.index, match.index + match[0].length] as const);
  return text.replace(NUMBER_LIKE, (run: string, at: number) =>
    hex.some(([start, end]) => at >= start && at + run.length <= end) ? run : maskRun(run));
};

/**
 * What a log line may say about a raw body or query string instead of quoting it: its size and the first
 * 16 hex digits of its SHA-256 (enough to find the kept copy, nothing of its content).
 */
export const bodyFacts = (raw: string): { bytes: number; sha256: string } => ({
  bytes: Buffer.byteLength(raw, 'utf8'),
  sha256: createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 16),
});

const SECRET_PARAMS = /((?:access|refresh)_token|code|secret[a-z_]*|authorization)(["']?\s*[:=]\s*["']?)[^"'&,\s}]+/gi;

/** Removes token- and secret-looking values from free text before it is logged. */
export const redactSecrets = (text: string): string => SECRET_PARAMS.test(text) ? text.replace(SECRET_PARAMS, '$1$2[redacted]') : text;
