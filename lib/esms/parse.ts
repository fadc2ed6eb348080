/**
 * Raw eSMS callback query string → typed event: strict query decoding, then the schema. Pure; the only
 * error it throws is `ParseError`, naming the parameter as eSMS spells it.
 */
import * as v from 'valibot';
import { ParseError } from '../errors';
import { canonicalQuery, readQuery, type QueryParams } from './query';
import { CallbackParamEntries, EsmsCallbackSchema, type EsmsCallback } from './schema';

export type { EsmsCallback } from './schema';

const KNOWN = new Map(Object.keys(CallbackParamEntries).map((name) => [name.toLowerCase(), name]));

const schemaInput = (params: QueryParams): Record<string, unknown> => {
  const known: Record<string, string> = {};
  const extra: [string, string][] = [];
  for (const [key, { name, value }] of params) {
    const field = KNOWN.get(key);
    if (field === undefined) extra.push([name, value]);
    else known[field] = value;
  }
  return { ...known, extra: Object.fromEntries(extra) };
};

const toEvent = (params: QueryParams): EsmsCallback => {
  const result = v.safeParse(EsmsCallbackSchema, schemaInput(params), { abortEarly: true });
  if (result.success) return result.output;
  const [issue] = result.issues;
  const key = issue.path?.[0]?.key;
  throw new ParseError(typeof key === 'string' ? key : 'query', issue.message);
};

/** Parses a raw callback query string (no leading `?`). Throws only `ParseError` (400, or 414 when oversized). */
export const parseCallback = (rawQuery: string): EsmsCallback => toEvent(readQuery(rawQuery));

/**
 * Like `parseCallback`, plus the canonical query (see `canonicalQuery`): the identity under which a
 * callback is deduplicated, equal for reordered, re-cased or re-encoded deliveries of the same data.
 */
export const parseCallbackWithIdentity = (rawQuery: string): { event: EsmsCallback; canonical: string } => {
  const params = readQuery(rawQuery);
  return { event: toEvent(params), canonical: canonicalQuery(params) };
};
