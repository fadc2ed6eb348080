import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { SecretName } from '../config/secrets';
import { RequestError } from '../errors';
import { errorResponse } from '../http/response';
import { logger, telemetry } from '../observability/telemetry';
import { loadSecrets } from './secrets';

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Reads the secrets `handle` needs before it runs: on the first call, then whenever they are older than
 * the cache TTL. If they cannot be read at all the caller gets a generic 500 (providers retry 5xx).
 */
export const withSecrets = (names: readonly SecretName[], handle: HttpHandler): HttpHandler => async (event) => {
  try {
    await loadSecrets(names);
  } catch (error) {
    logger.error('secrets unavailable', { parameters: names, reason: error instanceof Error ? error.message : 'unknown error' });
    return errorResponse(error);
  }
  return handle(event);
};

/** Publishes the invocation's metrics after every answer, whatever the outcome, once its secrets are read. */
export const withTelemetry = (handle: HttpHandler, secrets: readonly SecretName[] = []): HttpHandler => {
  const inner = withSecrets(secrets, handle);
  return async (event) => {
    try {
      return await inner(event);
    } finally {
      telemetry.flush();
    }
  };
};

/**
 * Refuses bodies larger than a route needs with a 413 before anything reads them. API Gateway accepts up
 * to 10 MB and Lambda 6 MB, but a stored item is capped at 400 KB: a larger body could never be stored.
 */
export const withBodyLimit = (maxBytes: number, handle: HttpHandler): HttpHandler => async (event) => {
  const size = event.body === undefined ? 0 : event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body, 'utf8');
  if (size <= maxBytes) return handle(event);
  logger.warn('request body too large', { route: event.routeKey, bytes: size, limit: maxBytes });
  return errorResponse(new RequestError(413, 'body', `body is ${size} bytes; at most ${maxBytes} are accepted`));
};

/** A scheduled function: its metrics are published at the end of every invocation, whatever the outcome. */
export const scheduled = <R>(run: (context: TimeLeft | undefined) => Promise<R>) => async (_event?: unknown, context?: TimeLeft): Promise<R> => {
  try {
    return await run(context);
  } finally {
    telemetry.flush({ force: true });
  }
};

export type TimeLeft = Pick<Context, 'getRemainingTimeInMillis'>;

/** True while the invocation has more than `reserveMs` left (always, when run without a Lambda context). */
export const timeLeftOver = (context: TimeLeft | undefined, reserveMs: number) => (): boolean =>
  context === undefined || context.getRemainingTimeInMillis() > reserveMs;

/** True for `budgetMs` from now: an HTTP integration has 30 s, whatever the function's own timeout. */
export const budgetFromNow = (budgetMs: number): (() => boolean) => {
  const started = Date.now();
  return () => Date.now() - started < budgetMs;
};
