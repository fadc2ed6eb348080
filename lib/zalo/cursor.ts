/** Opaque pagination cursors: DynamoDB's LastEvaluatedKey as base64url JSON, checked on the way back in. */
import * as v from 'valibot';
import { RequestError } from '../errors';

const KeySchema = v.looseObject({ pk: v.string(), sk: v.string() });

export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** A cursor must come from a page of the same listing (same partition), or it is refused with a 400. */
export const decodeCursor = (cursor: string | undefined, pk: string): Record<string, unknown> | undefined => {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const parsed = v.safeParse(KeySchema, key);
  if (!parsed.success || parsed.output.pk !== pk || cursor.length > 1024) {
    throw new RequestError(400, 'cursor', 'cursor is not one this listing handed out');
  }
  return parsed.output;
};
