import { createHash } from 'node:crypto';

/** Parts are URI-encoded so that a `#` inside a value cannot make two different keys collide. */
export const joinKey = (parts: readonly string[]): string => parts.map(encodeURIComponent).join('#');

/**
 * The universal fallback of docs/protocols.md §5.7: retries appear to resend the same bytes. Without the raw
 * body, the envelope's JSON text stands in (identical bytes parse to identical text).
 */
export const rawBodyKey = (envelope: unknown, rawBody?: string): string =>
  `sha256#${createHash('sha256').update(rawBody ?? JSON.stringify(envelope), 'utf8').digest('hex')}`;

/** The key from the event's parts when they are all present, else the raw-body hash. */
export const dedupKey = (
  parts: readonly (string | undefined)[] | undefined,
  envelope: unknown,
  rawBody?: string,
): string =>
  parts !== undefined && parts.every((part): part is string => part !== undefined)
    ? joinKey(parts)
    : rawBodyKey(envelope, rawBody);
