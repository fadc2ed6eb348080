import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  JsonSyntaxError, MalformedAnswerError, NotConfiguredError, RequestError, SecretsUnavailableError, StorageRequestBug, StorageUnavailableError, UpstreamError,
} from '../errors';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});

/**
 * The small HTML pages outside the console (`GET /`, the OA callback's result) need no script, style or
 * frame of any kind: everything is refused, and no site may frame them (clickjacking of the OA consent
 * result, a planted page over the verification page).
 */
export const HTML_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: HTML_PAGE_HEADERS, body });

/**
 * The one mapping from the error family (lib/errors.ts) to HTTP: status, the text the caller may see, and
 * the field. 4xx show their message; a provider's refusal (`UpstreamError` and its Zalo and eSMS kinds) is a
 * 502 naming its code, as is an answer of theirs we cannot read; a missing setting names the operator's
 * fix; storage down is a 503 (retry later); the rest, our bugs included, stay a generic 500.
 */
export const describeError = (error: unknown): { status: number; message: string; field?: string } => {
  if (error instanceof RequestError) return { status: error.status, message: error.message, field: error.field };
  if (error instanceof UpstreamError) return { status: 502, message: `the provider refused (error ${error.code})` };
  if (error instanceof JsonSyntaxError || error instanceof MalformedAnswerError) return { status: 502, message: 'the provider\'s answer could not be read' };
  if (error instanceof StorageUnavailableError) return { status: 503, message: 'storage unavailable, retry later' };
  if (error instanceof NotConfiguredError) return { status: 500, message: error.message };
  if (error instanceof StorageRequestBug) return { status: 500, message: 'internal error (kept for replay)' };
  if (error instanceof SecretsUnavailableError) return { status: 500, message: 'internal error' };
  return { status: 500, message: 'internal error' };
};

/** JSON error answers of every JSON route. */
export const errorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  const { status, message, field } = describeError(error);
  return json(status, { ok: false, error: field === undefined ? { message } : { field, message } });
};
