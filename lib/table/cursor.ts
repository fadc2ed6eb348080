/** Opaque list cursors: DynamoDB's LastEvaluatedKey as base64url JSON, checked on the way back in. */
import * as v from 'valibot';
import { InvalidCursorError } from '../errors';

const KeySchema = v.record(v.string(), v.union([v.string(), v.number()]));
const MAX_CURSOR_CHARS = 2048;

export type PageKey = Record<string, string | number>;

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key === undefined ? undefined : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/**
 * A cursor must come from a page of the same listing: `accept` checks its key (e.g. its partition key
 * is the one being listed), so a cursor can never move a query into another tenant's partition.
 */
export const decodeCursor = (cursor: string | undefined, accept: (key: PageKey) => boolean, field = 'next'): PageKey | undefined => {
  if (cursor === undefined || cursor === '') return undefined;
  if (cursor.length > MAX_CURSOR_CHARS) throw new InvalidCursorError(field);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(field);
  }
  const parsed = v.safeParse(KeySchema, key);
  if (!parsed.success || !accept(parsed.output)) throw new InvalidCursorError(field);
  return parsed.output;
};
