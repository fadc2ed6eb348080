import type { Log, Telemetry } from '../observability/ports';
import type { RejectedLog } from '../replay/ports';
import type { InboundBuffer } from './buffer';
import type { StorageBudget } from './pipeline';

/** What every inbound pipeline needs besides its own stores: the rejected log, the buffer, a clock and telemetry. */
export interface InboundDeps {
  rejected: Pick<RejectedLog, 'add'>;
  /** Keeps a request storage cannot take within `storageBudgetMs`; absent: such a request is answered 503. */
  buffer?: InboundBuffer;
  /** How long after a request arrived storage stops being retried for it (default STORAGE_BUDGET_MS). */
  storageBudgetMs?: number;
  now: () => number;
  /** Waits between storage attempts (tests pass a clock of their own). */
  sleep?: (ms: number) => Promise<void>;
  telemetry: Pick<Telemetry, 'count'>;
  log: Log;
}

/**
 * Storage is retried for up to 1.2 s of a request: inside Zalo's 2-second answer budget with room to buffer,
 * and far inside eSMS's time-out (eSMS retries only time-outs, so an answer after its time-out is lost too).
 */
export const STORAGE_BUDGET_MS = 1200;

export const storageBudget = (deps: Pick<InboundDeps, 'now' | 'sleep' | 'storageBudgetMs'>, receivedAt: number): StorageBudget => ({
  deadline: receivedAt + (deps.storageBudgetMs ?? STORAGE_BUDGET_MS),
  now: deps.now,
  sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
});
