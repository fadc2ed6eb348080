/**
 * The fixed pipeline every inbound webhook request goes through:
 * authenticate (on the raw request) → parse into a typed event → store idempotently → answer.
 * A parse failure is kept raw before it is refused. Storage that is throttled or down is retried within the
 * request's budget; a request it still cannot take is kept in the durable buffer (an SQS queue the drain
 * stores from, lib/inbound/drain.ts) and answered as if stored: a provider's valid request never gets a fast
 * non-2xx for something that would succeed later. Only when the buffer fails too is the answer a 503.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ParseError, RequestError, StorageRequestBug, StorageUnavailableError } from '../errors';
import { errorResponse, json } from '../http/response';

export type Outcome =
  | { kind: 'accepted' | 'duplicate'; extra?: Record<string, unknown> }
  | { kind: 'buffered'; error: unknown }
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
  /**
   * Keeps the request in the durable buffer when storage cannot take it within the budget: to be stored
   * (`store`) or kept as rejected (`rejected`) by the drain. Absent: a 503.
   */
  buffer?(request: Req, what: BufferedWork): Promise<void>;
  /** When storage stops being retried for this request (epoch ms), and the clock and wait it is retried with. */
  budget?(request: Req): StorageBudget;
  observe(outcome: Outcome, request: Req): void;
}

export type BufferedWork = { kind: 'store' } | { kind: 'rejected'; error: { status: number; field: string; message: string } };

export interface StorageBudget {
  deadline: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** First waits between attempts (jittered up to these); stops when the next wait would pass the deadline. */
const BACKOFF_MS = [25, 50, 100, 200, 400];

/** Runs a storage step again while storage is unavailable (idempotent steps only) and the budget allows. */
export const withinBudget = async <T>(work: () => Promise<T>, budget: StorageBudget | undefined): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StorageUnavailableError) || budget === undefined) throw error;
      const wait = Math.round((BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!) * (0.5 + Math.random() / 2));
      if (budget.now() + wait >= budget.deadline) throw error;
      await budget.sleep(wait);
    }
  }
};

const BUFFERED = { ok: true, buffered: true } as const;

export const handleInbound = async <Req, Ev>(steps: InboundSteps<Req, Ev>, request: Req): Promise<APIGatewayProxyStructuredResultV2> => {
  const budget = steps.budget?.(request);
  /** The buffer instead of storage that stayed unavailable; rethrows what the buffer cannot help with. */
  const orBuffer = async (error: unknown, what: BufferedWork): Promise<void> => {
    if (!(error instanceof StorageUnavailableError) || !steps.buffer) throw error;
    try {
      await steps.buffer(request, what);
    } catch {
      throw error;
    }
    steps.observe({ kind: 'buffered', error }, request);
  };
  try {
    await steps.authenticate(request);
    let event: Ev;
    try {
      event = steps.parse(request);
    } catch (error) {
      if (error instanceof ParseError) {
        const refusal = { status: error.status, field: error.field, message: error.message };
        await withinBudget(() => steps.keepRejected(request, refusal), budget).catch((failure: unknown) => orBuffer(failure, { kind: 'rejected', error: refusal }));
        steps.observe({ kind: 'rejected', error }, request);
      }
      throw error;
    }
    let stored: Awaited<ReturnType<typeof steps.store>>;
    try {
      stored = await withinBudget(() => steps.store(event, request), budget);
    } catch (error) {
      if (error instanceof StorageUnavailableError && steps.buffer) {
        await orBuffer(error, { kind: 'store' });
        return json(200, BUFFERED);
      }
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
