/**
 * DESTINATION_RETRY_SCHEDULE: the waits before each retry, comma-separated, each a number with `s`, `m`,
 * `h` or `d` (`5s,5m,30m,2h,5h,10h,10h`, the default, spreads 8 attempts over 27.6 hours). An event gets
 * 1 + the schedule's entries attempts.
 */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_ENTRIES = 20;

/** The waits in seconds; throws (a cold-start failure) on anything else. */
export const parseRetrySchedule = (text: string | undefined): number[] => {
  const entries = (text === undefined || text.trim() === '' ? DEFAULT_RETRY_SCHEDULE : text).split(',').map((entry) => entry.trim());
  if (entries.length > MAX_ENTRIES) throw new Error(`DESTINATION_RETRY_SCHEDULE has more than ${MAX_ENTRIES} entries`);
  return entries.map((entry) => {
    const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(entry);
    if (!match) throw new Error(`DESTINATION_RETRY_SCHEDULE: "${entry}" is not a wait such as 30s, 5m, 2h or 1d`);
    return Math.round(Number(match[1]) * UNIT_SECONDS[match[2]!]!);
  });
};

/** SQS holds a message back at most 15 minutes: a longer wait is a chain of hops of at most this. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * The next hop towards a wait: how long to hold the message this time, and what remains after it.
 * `remaining` 0 means the attempt is due when the message comes back.
 */
export const nextHop = (waitSeconds: number): { delaySeconds: number; remaining: number } => {
  const delaySeconds = Math.min(Math.max(0, Math.ceil(waitSeconds)), MAX_QUEUE_DELAY_SECONDS);
  return { delaySeconds, remaining: Math.max(0, Math.ceil(waitSeconds) - delaySeconds) };
};

/** A destination failing every attempt for this long is disabled, with an `alert.destination_disabled`. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;
