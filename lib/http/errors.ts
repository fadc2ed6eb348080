/**
 * The closed set of errors a request can end in. Only `RequestError`s (4xx) show their message to the
 * caller; anything else is answered with a generic 5xx so the provider retries.
 */

/** A caller mistake: the request is refused with `status` and a message naming `field`. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 414 | 415,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Thrown when a malformed callback or body cannot be turned into a typed event. */
export class ParseError extends RequestError {
  constructor(field: string, message: string, status: 400 | 413 | 414 = 400) {
    super(status, field, message);
    this.name = 'ParseError';
  }
}

/** Thrown by storage adapters when DynamoDB is unreachable, throttling or failing: answer 503. */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('storage unavailable', { cause });
    this.name = 'StorageUnavailableError';
  }
}
