/** Request headers as API Gateway hands them over (HTTP API lower-cases the names, REST keeps them). */
export type Headers = Record<string, string | undefined>;

/** The first value of `name`, matched case-insensitively. */
export const headerValue = (headers: Headers, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
};
