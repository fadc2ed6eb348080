/**
 * The closed family of errors the code throws on purpose; `lib/http/response.ts` maps each to HTTP in one
 * place. Only `RequestError`s (the caller's mistake, 4xx) and `NotConfiguredError` (an operator's fix) show
 * their message; the rest answer a generic 5xx, which means only "try again later".
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

/** A provider we called (Zalo OAuth or OpenAPI, eSMS) refused or failed: answered 502, naming the provider's code. */
export class UpstreamError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** Zalo's OAuth answered and refused (bad code, spent or revoked refresh token, wrong secret), or answered without a token. */
export class ZaloOAuthError extends UpstreamError {
  constructor(code: string, detail: string) {
    super(code, `Zalo OAuth error ${code}: ${detail}`);
    this.name = 'ZaloOAuthError';
  }
}

/** Zalo could not be reached or answered 5xx after the retries: nothing is known about the request's fate. */
export class ZaloUnavailableError extends UpstreamError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('unavailable', `Zalo unavailable: ${detail}`, options);
    this.name = 'ZaloUnavailableError';
  }
}

/** Zalo's OpenAPI refused a call (`error` ≠ 0: -216 an invalid or revoked token, -32 a rate limit) or answered off-shape. */
export class ZaloApiError extends UpstreamError {
  constructor(code: string, detail: string) {
    super(code, `Zalo OpenAPI error ${code}: ${detail}`);
    this.name = 'ZaloApiError';
  }
}

/** eSMS refused the account itself (101 wrong ApiKey/SecretKey, 140 IP not allow-listed): reconciliation stops. */
export class EsmsDeniedError extends UpstreamError {
  constructor(code: string) {
    super(code, `eSMS refused the account (code ${code})`);
    this.name = 'EsmsDeniedError';
  }
}

/** An eSMS answer body is not JSON even read leniently (an HTML error page, an empty body). */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** An eSMS answer lacks a value it documents, or holds an unusable one; the message names the field, never a value. */
export class MalformedAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAnswerError';
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

/** The first read of a function's secrets (SSM) failed: it cannot authenticate anything, so it answers 500. */
export class SecretsUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SecretsUnavailableError';
  }
}

/** The deployment lacks a setting a route needs (e.g. ZALO_OA_CALLBACK_URL): a 500 whose message names the operator's fix. */
export class NotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConfiguredError';
  }
}

/** A destination's host resolves to an address it may not reach (private, loopback, link-local): the attempt fails. */
export class UnsafeAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeAddressError';
  }
}
