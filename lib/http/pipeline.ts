/**
 * The fixed pipeline every inbound webhook request goes through:
 * authenticate (on the raw request) → parse into a typed event → store idempotently → answer.
 * A parse failure is kept raw before it is refused; a storage failure answers 5xx so the provider retries.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ParseError, RequestError, StorageUnavailableError } from './errors';
import { errorResponse, json } from './response';

export type Outcome =
  | { kind: 'accepted' | 'duplicate'; extra?: Record<string, unknown> }
  | { kind: 'refused'; error: RequestError }
  | { kind: 'rejected'; error: ParseError }
  | { kind: 'storage-failure' | 'error'; error: unknown };

export interface InboundSteps<Req, Ev> {
  /** Throws a RequestError (401/404) for requests that are not ours; they are not stored. */
  authenticate(request: Req): void;
  /** Throws a ParseError for malformed requests; they are kept by `keepRejected`. */
  parse(request: Req): Ev;
  store(event: Ev, request: Req): Promise<{ duplicate: boolean; extra?: Record<string, unknown> }>;
  keepRejected(request: Req, error: ParseError): Promise<void>;
  observe(outcome: Outcome, request: Req): void;
}

export const handleInbound = async <Req, Ev>(steps: InboundSteps<Req, Ev>, request: Req): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    steps.authenticate(request);
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
    const { duplicate, extra } = await steps.store(event, request);
    steps.observe({ kind: duplicate ? 'duplicate' : 'accepted', ...(extra ? { extra } : {}) }, request);
    return json(200, { ok: true, duplicate, ...extra });
  } catch (error) {
    if (error instanceof RequestError && !(error instanceof ParseError)) steps.observe({ kind: 'refused', error }, request);
    else if (error instanceof StorageUnavailableError) steps.observe({ kind: 'storage-failure', error }, request);
    else if (!(error instanceof ParseError)) steps.observe({ kind: 'error', error }, request);
    return errorResponse(error);
  }
};
