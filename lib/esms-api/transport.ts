/**
 * One eSMS call with the policies every pull API shares: the client-side rate limit, a time-out,
 * retries with bounded exponential back-off and jitter (160 "TPS exceeded", HTTP 5xx/429, network
 * errors, time-outs), and the result-code classes of docs/protocols.md §3. Credentials travel in the query
 * or body but never into a message: every message is built here from fixed text and then scrubbed of
 * the account's keys, in case eSMS or the network stack echoes them.
 */
import type { PullResult } from '../reconcile/ports';
import { JsonSyntaxError } from '../errors';
import { readJson, type JsonObject } from './lenient-json';
import { buildRateLimiter, type Clock } from './rate-limit';
import { isObject, resultCode, resultMessage } from './read';

export interface TransportOptions extends Clock {
  tps: number;
  timeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** In [0, 1); the jitter source. */
  random: () => number;
  fetch: typeof fetch;
}

export interface Request {
  /** Endpoint name for messages, e.g. `GetSendStatus`. */
  name: string;
  url: string;
  body?: unknown;
  /** Values that must never appear in a message (the account's keys). */
  secrets: string[];
}

/** Every outcome but `ok` is already a `PullResult`; `ok` hands the answer to the method's mapper. */
export type Answer = { kind: 'ok'; body: JsonObject } | Exclude<PullResult<never>, { kind: 'ok' }>;
type Attempt = Answer | { kind: 'retry'; code: string; message: string };

const NOT_YET = new Set(['105', '854']);
const DENIED = new Set(['101', '140']);
const DENIED_TEXT: Record<string, string> = { '101': 'wrong ApiKey/SecretKey', '140': 'caller IP not allow-listed at eSMS' };

export const scrub = (message: string, secrets: string[]): string =>
  secrets.filter((s) => s.length > 0).reduce((m, s) => m.split(s).join('***'), message).slice(0, 300);

const classify = (name: string, body: JsonObject): Attempt => {
  const code = resultCode(body);
  const said = resultMessage(body);
  if (code === undefined) return { kind: 'failed', code: 'malformed', message: `${name}: answer has no CodeResult/CodeResponse/Code` };
  if (code === '100') return { kind: 'ok', body };
  if (code === '160') return { kind: 'retry', code, message: `${name}: eSMS TPS limit exceeded (160)` };
  if (NOT_YET.has(code)) return { kind: 'not-yet', code };
  const text = `${name}: eSMS code ${code}${said ? ` (${said})` : ''}`;
  if (DENIED.has(code)) return { kind: 'denied', code, message: `${text}: ${DENIED_TEXT[code]}` };
  return { kind: 'failed', code, message: text };
};

const networkCode = (error: unknown): string => {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : 'unknown';
};

export const buildTransport = (options: TransportOptions) => {
  const limiter = buildRateLimiter(options.tps, options);

  const once = async (request: Request): Promise<Attempt> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await options.fetch(request.url, {
        method: request.body === undefined ? 'GET' : 'POST',
        headers: { accept: 'application/json', ...(request.body !== undefined && { 'content-type': 'application/json' }) },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: controller.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'retry', code: 'timeout', message: `${request.name}: no answer within ${options.timeoutMs} ms` };
      return { kind: 'retry', code: 'network', message: `${request.name}: network error (${networkCode(error)})` };
    } finally {
      clearTimeout(timer);
    }
    if (status >= 500 || status === 429) return { kind: 'retry', code: `http-${status}`, message: `${request.name}: HTTP ${status}` };
    if (status < 200 || status > 299) return { kind: 'failed', code: `http-${status}`, message: `${request.name}: HTTP ${status}` };
    try {
      const body = readJson(text);
      if (isObject(body)) return classify(request.name, body);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
    }
    return { kind: 'failed', code: 'malformed', message: `${request.name}: answer is not a JSON object (${text.length} characters)` };
  };

  const backoff = (retry: number): number => {
    const ceiling = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** retry);
    return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
  };

  /** Sends `request`, retrying what may succeed later; never throws for an eSMS or network failure. */
  return async (request: Request): Promise<Answer> => {
    for (let retry = 0; ; retry++) {
      await limiter.take();
      const attempt = await once(request);
      if (attempt.kind === 'ok') return attempt;
      if (attempt.kind !== 'retry') return 'message' in attempt ? { ...attempt, message: scrub(attempt.message, request.secrets) } : attempt;
      if (retry >= options.maxRetries) {
        return { kind: 'failed', code: attempt.code, message: scrub(`${attempt.message}; gave up after ${retry + 1} attempts`, request.secrets) };
      }
      await options.sleep(backoff(retry));
    }
  };
};
