import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestError, StorageRequestBug, StorageUnavailableError } from '../errors';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});

export const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body,
});

/** The one place errors become HTTP answers: 4xx show their message, the rest stay generic. */
export const errorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof RequestError) {
    return json(error.status, { ok: false, error: { field: error.field, message: error.message } });
  }
  if (error instanceof StorageUnavailableError) {
    return json(503, { ok: false, error: { message: 'storage unavailable, retry later' } });
  }
  // StorageRequestBug and anything unexpected: our bug, not the caller's, and not an outage to wait out.
  return json(500, { ok: false, error: { message: error instanceof StorageRequestBug ? 'internal error (kept for replay)' : 'internal error' } });
};
