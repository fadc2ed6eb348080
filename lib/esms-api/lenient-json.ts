/**
 * A forgiving JSON reader for eSMS answers. eSMS is an ASP.NET service whose documented samples are not
 * always JSON (GetSmsSentData_V2's has a missing comma, `"SendStatus:5,` keys and no closing brace),
 * and it writes .NET decimals as number literals (`"TotalPrice": 470.0000`) whose digits matter: a
 * float would turn them into `470`. So numbers are kept as their literal text, separators are optional,
 * containers left open at the end are closed, and the known broken-key pattern is repaired. Anything
 * that is not JSON-like at all (an HTML error page, an empty body) still fails.
 */
import { JsonSyntaxError } from '../errors';

/** A JSON value whose numbers are kept as the literal text eSMS wrote. */
export type Json = string | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /true|false|null/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const MAX_DEPTH = 64;

const parse = (src: string): Json => {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const skip = () => {
    while (i < src.length && /[\s,]/.test(src[i]!)) i++;
  };
  const space = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const string = (): string => {
    let out = '';
    i++;
    while (i < src.length) {
      const c = src[i++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = src[i++] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(src.slice(i, i + 4), 16));
        i += 4;
      } else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else fail('bad escape');
    }
    return fail('unterminated string');
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(src);
    if (m === null) return undefined;
    i += m[0].length;
    return m[0];
  };
  const value = (depth: number): Json => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    space();
    const c = src[i];
    if (c === '"') return string();
    if (c === '{' || c === '[') return container(c, depth);
    const number = token(NUMBER);
    if (number !== undefined) return number;
    const word = token(WORD);
    if (word !== undefined) return word === 'null' ? null : word === 'true';
    return fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
  };
  // Separators are optional and repeated ones ignored; a container still open at the end is closed.
  const container = (open: '{' | '[', depth: number): Json => {
    i++;
    const close = open === '{' ? '}' : ']';
    const list: Json[] = [];
    const object: JsonObject = Object.create(null) as JsonObject;
    for (;;) {
      skip();
      if (i >= src.length || src[i] === close) {
        if (i < src.length) i++;
        return open === '{' ? object : list;
      }
      if (open === '[') {
        list.push(value(depth + 1));
        continue;
      }
      if (src[i] !== '"') fail('expected a key');
      const key = string();
      space();
      if (src[i] !== ':') fail('expected ":"');
      i++;
      object[key] = value(depth + 1);
    }
  };
  const result = value(0);
  space();
  if (i < src.length) fail('trailing text');
  return result;
};

// `"SendStatus:5,` in a key position (after `{` or `,`): the closing quote of the key went missing.
const BROKEN_KEY = /([{,]\s*)"([A-Za-z_]\w*):\s*(-?\d+(?:\.\d+)?)\s*,/g;

/** Reads `text` leniently (see the module doc). Throws `JsonSyntaxError` when it is not JSON-like. */
export function readJson(text: string): Json {
  try {
    return parse(text);
  } catch (error) {
    const repaired = text.replace(BROKEN_KEY, '$1"$2": $3,');
    if (repaired === text) throw error;
    return parse(repaired);
  }
}
