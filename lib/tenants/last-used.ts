/**
 * Last-used times of a tenant's credentials (API keys, eSMS tokens, Zalo apps), kept cheap enough for the
 * callback and read paths: an instance writes at most once per credential per `intervalMs` (an hour), and
 * the write is conditional (lib/store/credential-use.ts), so across instances it is about one successful
 * write per credential-hour. The times are therefore accurate to the hour.
 *
 * Recording never fails or delays a request meaningfully: it is awaited (a frozen Lambda would lose it)
 * but bounded by `timeoutMs`, and every failure (a refused condition, throttling, AccessDenied, a time-out)
 * is counted and logged at debug, never thrown.
 */
import type { Log } from '../observability/ports';
import type { CredentialUseStore, UsedCredential } from './ports';

export const LAST_USED_INTERVAL_MS = 3_600_000;
/** Credentials remembered per instance; beyond it the oldest are forgotten (one extra conditional write each). */
export const LAST_USED_MAX_ENTRIES = 10_000;
/**
 * The condition's window is this much shorter than an instance's interval: an instance that waited its full
 * interval always replaces a time written that long ago (by itself or another instance, clocks a little apart),
 * instead of being refused at the boundary and waiting a second interval.
 */
export const LAST_USED_SLACK_MS = 60_000;
/** The most a request waits for the write. */
export const LAST_USED_TIMEOUT_MS = 250;

export interface LastUsedDeps {
  store: CredentialUseStore;
  now: () => number;
  log: Pick<Log, 'debug'>;
  intervalMs?: number;
  maxEntries?: number;
  timeoutMs?: number;
}

/** What this instance did, for tests and the debug log. */
export interface LastUsedCounts {
  /** Skipped: this instance recorded the credential less than `intervalMs` ago. */
  skipped: number;
  written: number;
  /** The condition refused: recorded recently by another instance, or no index entry. */
  refused: number;
  /** Throttled, denied, timed out, or any other error. */
  failed: number;
}

export type RecordUse = (credential: UsedCredential) => Promise<void>;

export const buildLastUsedRecorder = (deps: LastUsedDeps): RecordUse & { counts: LastUsedCounts } => {
  const intervalMs = deps.intervalMs ?? LAST_USED_INTERVAL_MS;
  const maxEntries = deps.maxEntries ?? LAST_USED_MAX_ENTRIES;
  const timeoutMs = deps.timeoutMs ?? LAST_USED_TIMEOUT_MS;
  /** credential → when this instance last tried to record it; insertion order is age order. */
  const touched = new Map<string, number>();
  const counts: LastUsedCounts = { skipped: 0, written: 0, refused: 0, failed: 0 };

  const record = async (credential: UsedCredential): Promise<void> => {
    const at = deps.now();
    const name = `${credential.tenant}#${credential.kind}#${credential.id}`;
    const last = touched.get(name);
    if (last !== undefined && at - last < intervalMs) {
      counts.skipped += 1;
      return;
    }
    // Remembered before the write, whatever its outcome: a failing table costs one attempt an hour, not one per request.
    touched.delete(name);
    touched.set(name, at);
    if (touched.size > maxEntries) touched.delete(touched.keys().next().value!);
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const written = await Promise.race([deps.store.markUsed(credential, at, at - intervalMs + Math.min(LAST_USED_SLACK_MS, intervalMs / 2), abort.signal), timeout]);
      if (written) counts.written += 1;
      else counts.refused += 1;
    } catch (error) {
      counts.failed += 1;
      deps.log.debug('credential last-used time not recorded', {
        kind: credential.kind, id: credential.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), counts,
      });
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(record, { counts });
};
