/**
 * What a function instance remembers of the registry. A found entry is trusted for `ttlMs` (the hot path
 * reads the registry at most once per TTL per token or app); an unknown one for `missTtlMs` only (about a
 * second), so a token or app created a moment ago works on the next request. Both maps are bounded (oldest
 * evicted first), and lookups of names never seen are limited to `missesPerSecond`: an unauthenticated
 * flood of random tokens costs at most that many reads per second per instance, and the rest are refused
 * without a read (a legitimate new token may then need a retry: eSMS's reconciliation recovers it).
 */
export interface RegistryCacheOptions {
  ttlMs: number;
  missTtlMs?: number;
  maxEntries?: number;
  missesPerSecond?: number;
  now?: () => number;
}

interface Entry<T> {
  value: T | undefined;
  until: number;
}

export interface RegistryCache<T> {
  /** The cached answer, else `load`'s (cached); undefined for unknown (or refused by the miss budget). */
  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Drops what is cached for `key` (a pending app is read again on its next request). */
  forget(key: string): void;
  /** Registry reads made so far (the bench counts them). */
  readonly reads: number;
}

export const buildRegistryCache = <T>(options: RegistryCacheOptions): RegistryCache<T> => {
  const { ttlMs, missTtlMs = 1000, maxEntries = 10_000, missesPerSecond = 100, now = Date.now } = options;
  const entries = new Map<string, Entry<T>>();
  const inFlight = new Map<string, Promise<T | undefined>>();
  let reads = 0;
  let budgetSecond = 0;
  let budgetUsed = 0;

  const remember = (key: string, value: T | undefined) => {
    entries.delete(key);
    entries.set(key, { value, until: now() + (value === undefined ? missTtlMs : ttlMs) });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };

  const withinBudget = (): boolean => {
    const second = Math.floor(now() / 1000);
    if (second !== budgetSecond) [budgetSecond, budgetUsed] = [second, 0];
    budgetUsed += 1;
    return budgetUsed <= missesPerSecond;
  };

  return {
    get reads() {
      return reads;
    },
    forget(key) {
      entries.delete(key);
    },
    async get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.until > now()) return entry.value;
      // A name this instance had found before is re-read whatever the budget: only strangers are limited.
      if (!entry?.value && !withinBudget()) return undefined;
      const pending = inFlight.get(key) ?? (async () => {
        reads += 1;
        try {
          const value = await load();
          remember(key, value);
          return value;
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, pending);
      return pending;
    },
  };
};
