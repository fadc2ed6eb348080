/**
 * Header lookup (pure): used by the HTTP layer on API Gateway events and by the Zalo domain on the
 * headers it keeps beside a stored or rejected body. API Gateway HTTP APIs lower-case header names,
 * REST APIs and replays of kept requests may not, so names match case-insensitively.
 */
export type Headers = Record<string, string | undefined>;

/** The first value of `name`, matched case-insensitively; a name present without a value is skipped. */
export const headerValue = (headers: Headers, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
};
