/**
 * Strict decoding of a raw eSMS callback query string. eSMS sends GET callbacks from an ASP.NET stack,
 * so `+` is a space, and the docs spell one parameter both `TotalPrice` and `Totalprice`: names are
 * matched case-insensitively but kept as sent.
 */
import { ParseError } from '../errors';
import { MAX_CALLBACK_QUERY_BYTES } from '../table/esms';

const MAX_QUERY_BYTES = MAX_CALLBACK_QUERY_BYTES;

export interface QueryParam {
  /** The name as sent (decoded), e.g. `Totalprice`. */
  name: string;
  value: string;
}

/** Decoded parameters keyed by lower-cased name. */
export type QueryParams = ReadonlyMap<string, QueryParam>;

// In `u` mode a well-formed surrogate pair is one code point, so this matches only lone halves,
// which `encodeURIComponent` (and so `canonicalQuery`) would throw on.
const LONE_SURROGATE = /\p{Cs}/u;

const shown = (text: string): string => (text.length > 64 ? `${text.slice(0, 61)}...` : text);

const decode = (text: string, field: string): string => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new ParseError(field, `malformed percent-encoding in ${field}`);
  }
  if (LONE_SURROGATE.test(decoded)) throw new ParseError(field, `malformed text in ${field}`);
  return decoded;
};

/**
 * Decodes `a=1&b=2` (no leading `?`). Throws `ParseError` (414) when longer than MAX_CALLBACK_QUERY_BYTES
 * (a longer callback could not be stored in one item; no real one comes near), and
 * (400) on malformed percent-encoding, an empty parameter name, or a name repeated with a different
 * value. Empty segments are skipped; a segment without `=` is a parameter with an empty value.
 */
export function readQuery(raw: string): QueryParams {
  if (raw.length > MAX_QUERY_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_QUERY_BYTES) {
    throw new ParseError('query', `query string longer than ${MAX_QUERY_BYTES} bytes`, 414);
  }
  const params = new Map<string, QueryParam>();
  for (const segment of raw.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const name = decode(rawName, shown(rawName));
    if (name === '') throw new ParseError('query', `empty parameter name in "${shown(segment)}"`);
    const value = decode(eq === -1 ? '' : segment.slice(eq + 1), shown(name));
    const key = name.toLowerCase();
    const seen = params.get(key);
    if (seen === undefined) params.set(key, { name, value });
    else if (seen.value !== value) throw new ParseError(shown(name), `${shown(name)} repeated with different values`);
  }
  return params;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The identity of a callback for deduplication: lower-cased names in code-unit order with their
 * decoded values, re-encoded. Reordered, differently-cased or differently-encoded callbacks that carry
 * the same data have the same canonical form.
 */
export function canonicalQuery(params: QueryParams): string {
  return [...params]
    .sort(([a], [b]) => compare(a, b))
    .map(([key, { value }]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}
