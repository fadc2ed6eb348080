/**
 * The fixed pipeline every inbound webhook request goes through:
 * authenticate (on the raw request) → parse into a typed event → store idempotently → answer.
 * A parse failure is kept raw before it is refused; a storage failure answers 5xx so the provider retries.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ParseError, RequestError, StorageRequestBug, StorageUnavailableError } from '../errors';
import { errorResponse, json } from '../http/response';

export type Outcome =
  | { kind: 'accepted' | 'duplicate'; extra?: Record<string, unknown> }
  | { kind: 'refused'; error: RequestError }
  | { kind: 'rejected'; error: ParseError }
  | { kind: 'storage-failure' | 'error'; error: unknown };

export interface InboundSteps<Req, Ev> {
  /** Throws a RequestError (401/404) for requests that are not ours; they are not stored. */
  authenticate(request: Req): void | Promise<void>;
  /** Throws a ParseError for malformed requests; they are kept by `keepRejected`. */
  parse(request: Req): Ev;
  store(event: Ev, request: Req): Promise<{ duplicate: boolean; extra?: Record<string, unknown> }>;
  keepRejected(request: Req, error: { status: number; field: string; message: string }): Promise<void>;
  observe(outcome: Outcome, request: Req): void;
}

export const handleInbound = async <Req, Ev>(steps: InboundSteps<Req, Ev>, request: Req): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    await steps.authenticate(request);
    let event: Ev;
    try {
      event = steps.parse(request);
    } catch (error) {
      if (error instanceof ParseError) {
        await steps.keepRejected(request, error);
        steps.observe({ kind: 'rejected', error }, request);
      }
      throw error;
    }
    let stored: Awaited<ReturnType<typeof steps.store>>;
    try {
      stored = await steps.store(event, request);
    } catch (error) {
      // DynamoDB refused what we sent as invalid: a bug a retry cannot fix. Keep the raw request for replay once fixed.
      if (error instanceof StorageRequestBug) await steps.keepRejected(request, { status: 500, field: 'storage', message: `storage refused the request: ${String((error.cause as Error | undefined)?.message ?? '').slice(0, 200)}` });
      throw error;
    }
    const { duplicate, extra } = stored;
    steps.observe({ kind: duplicate ? 'duplicate' : 'accepted', ...(extra ? { extra } : {}) }, request);
    return json(200, { ok: true, duplicate, ...extra });
  } catch (error) {
    if (error instanceof RequestError && !(error instanceof ParseError)) steps.observe({ kind: 'refused', error }, request);
    else if (error instanceof StorageUnavailableError) steps.observe({ kind: 'storage-failure', error }, request);
    else if (!(error instanceof ParseError)) steps.observe({ kind: 'error', error }, request);
    return errorResponse(error);
  }
};
