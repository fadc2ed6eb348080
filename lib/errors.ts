/**
 * The closed family of errors a request can end in; `lib/http/response.ts` maps them to HTTP in one place.
 * Only `RequestError`s (the caller's mistake, 4xx) show their message; the rest answer a generic 5xx,
 * which means only "try again later".
 */

type ClientStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 414 | 415;

/** The request cannot succeed as sent: refused with `status` and a message naming `field`. */
export class RequestError extends Error {
  constructor(
    readonly status: ClientStatus,
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestError';
  }
}

/** A malformed callback or body that cannot become a typed event; its raw request is kept for replay. */
export class ParseError extends RequestError {
  constructor(field: string, message: string, status: 400 | 413 | 414 = 400, options?: { cause?: unknown }) {
    super(status, field, message, options);
    this.name = 'ParseError';
  }
}

/** A list cursor that this listing did not hand out (tampered, from another listing or another tenant). */
export class InvalidCursorError extends RequestError {
  constructor(field = 'next') {
    super(400, field, `${field} is not a cursor this listing handed out`);
    this.name = 'InvalidCursorError';
  }
}

/** A provider we called (Zalo OAuth, eSMS) refused or failed: answered 502, naming the provider's code. */
export class UpstreamError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** DynamoDB is unreachable, throttling or failing: answer 503 so the caller retries later. */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('storage unavailable', { cause });
    this.name = 'StorageUnavailableError';
  }
}

/**
 * DynamoDB refused a request as invalid (ValidationException): a bug in what we sent, not an outage.
 * Answered 500 and logged in full, never 503: retrying the same request would fail the same way.
 */
export class StorageRequestBug extends Error {
  constructor(cause: unknown) {
    super('storage refused the request as invalid', { cause });
    this.name = 'StorageRequestBug';
  }
}
