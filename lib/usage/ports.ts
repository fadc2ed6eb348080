/**
 * What the tenant's usage needs from storage (lib/store/usage.ts): a duplicate callback counted where it
 * is recognised (it writes nothing else, so the stream never sees it), and the month's day counters read.
 */
import type { USAGE_COUNTER_METRICS } from '../table/counters';

export type UsageMetric = (typeof USAGE_COUNTER_METRICS)[number];
export type Usage = Record<UsageMetric, number>;

export interface DuplicateCounter {
  /** Adds one duplicate to the tenant's usage of the Vietnam day of `at`. */
  duplicate(tenant: string, at: number): Promise<void>;
}

export interface UsageReader {
  /** The tenant's usage counters of `days` (absent days: zeros), summed. */
  sum(tenant: string, days: readonly string[]): Promise<Usage>;
}
