/**
 * One call to Zalo with the policies the OA access shares: a time-out, and retries with exponential
 * back-off on what says nothing about the request's fate (network errors, time-outs, HTTP 5xx/429).
 * An answer Zalo gave (HTTP 200 with an `error`) is returned as is: retrying a refusal changes nothing.
 * Messages never carry a token: only the endpoint's name and what failed.
 */
import { ZaloUnavailableError } from '../errors';

export interface CallPolicy {
  timeoutMs: number;
  /** Attempts in all (1 = no retry). */
  attempts: number;
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer's JSON, after the retries; throws `ZaloUnavailableError` when none came back usable. */
export const callZalo = async (name: string, url: string, init: RequestInit, policy: CallPolicy): Promise<{ status: number; body: unknown }> => {
  const send = policy.fetch ?? fetch;
  const sleep = policy.sleep ?? defaultSleep;
  let last = 'no attempt';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    if (attempt > 1) await sleep(policy.backoffMs * 2 ** (attempt - 2));
    let response: Response;
    try {
      response = await send(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (error) {
      last = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${policy.timeoutMs} ms` : 'network error';
      continue;
    }
    const text = await response.text().catch(() => undefined);
    if (response.status >= 500 || response.status === 429 || text === undefined) {
      last = `HTTP ${response.status}`;
      continue;
    }
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: undefined };
    }
  }
  throw new ZaloUnavailableError(`${name}: ${last} (${policy.attempts} attempts)`);
};
