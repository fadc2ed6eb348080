/**
 * Client-side rate limit shared by every call of one adapter. A token bucket that holds one token and
 * gains `tps` per second (GCRA, the "virtual scheduling" form): each call reserves the next free slot,
 * `1000 / tps` ms after the previous one, and sleeps until it. Holding a single token means no burst,
 * so any one-second window sees at most `tps` calls, which is how eSMS counts its TPS limits (160).
 */
export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}

export const buildRateLimiter = (tps: number, clock: Clock): RateLimiter => {
  if (!(tps > 0) || !Number.isFinite(tps)) throw new RangeError(`tps must be a positive number; received ${tps}`);
  const interval = 1000 / tps;
  let nextFree = -Infinity;
  return {
    async take() {
      const now = clock.now();
      // Whole milliseconds: each slot is at least one interval after the last, with no float drift.
      const at = Math.ceil(Math.max(now, nextFree));
      nextFree = at + interval;
      if (at > now) await clock.sleep(at - now);
    },
  };
};
