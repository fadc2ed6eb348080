/**
 * What a function instance remembers of the registry, per name. A found entry is trusted for `ttlMs` (0:
 * never kept, read on every use); a name found unknown is remembered for `missTtlMs`. Found and unknown
 * names live in two bounded maps (oldest dropped first), so a flood of strangers churns only the unknown
 * map and never pushes out a name that works. Lookups of one name in flight share one read.
 *
 * There is no refusal budget: a name that is not cached is always read, so a flood of strangers can never
 * make a valid name that this instance has not seen yet fail (it once could: issue 19's "unknown-name
 * lockout"). What a flood costs is bounded per request instead: at most one GetItem for a well-formed name
 * this instance has not seen within `missTtlMs`, none for a name it has (docs/security.md).
 */
export interface RegistryCacheOptions {
  /** How long a found entry is trusted, in ms; 0 keeps nothing found (every use reads). */
  ttlMs: number;
  /** How long a name found unknown is remembered, in ms (default 1 s). */
  missTtlMs?: number;
  /** Names kept per map (found, unknown). */
  maxEntries?: number;
  now?: () => number;
}

export interface RegistryCache<T> {
  /** The cached answer, else `load`'s (cached as the options say); undefined for unknown. */
  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Drops what is cached for `key` (a pending app is read again on its next request). */
  forget(key: string): void;
  /** Registry reads made so far (the bench and the tests count them). */
  readonly reads: number;
}

/** A map that forgets its oldest entry past `max`, with an expiry per entry. */
const boundedMap = <V>(max: number) => {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    fresh(key: string, now: number): { value: V } | undefined {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.until > now) return entry;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: V, until: number) {
      entries.delete(key);
      entries.set(key, { value, until });
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    delete: (key: string) => entries.delete(key),
  };
};

export const buildRegistryCache = <T>(options: RegistryCacheOptions): RegistryCache<T> => {
  const { ttlMs, missTtlMs = 1000, maxEntries = 10_000, now = Date.now } = options;
  const found = boundedMap<T>(maxEntries);
  const unknown = boundedMap<true>(maxEntries);
  const inFlight = new Map<string, Promise<T | undefined>>();
  let reads = 0;

  const read = async (key: string, load: () => Promise<T | undefined>): Promise<T | undefined> => {
    reads += 1;
    try {
      const value = await load();
      if (value === undefined) {
        if (missTtlMs > 0) unknown.set(key, true, now() + missTtlMs);
      } else {
        unknown.delete(key);
        if (ttlMs > 0) found.set(key, value, now() + ttlMs);
      }
      return value;
    } finally {
      inFlight.delete(key);
    }
  };

  return {
    get reads() {
      return reads;
    },
    forget(key) {
      found.delete(key);
      unknown.delete(key);
    },
    async get(key, load) {
      const at = now();
      const hit = found.fresh(key, at);
      if (hit) return hit.value;
      if (unknown.fresh(key, at)) return undefined;
      const pending = inFlight.get(key) ?? read(key, load);
      inFlight.set(key, pending);
      return pending;
    },
  };
};
