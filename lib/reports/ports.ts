/** What reports and the audit need from storage: lib/store/counters.ts reads, lib/store/counter-repair.ts repairs. */
import type { Dimensions } from '../table/counters';

/** What reports read. */
export interface CounterReader {
  /** Every counter item of one tenant's report day (all buckets). */
  readDay(tenant: string, day: string): Promise<Array<Record<string, unknown>>>;
}

export interface CounterIdentity {
  pk: string;
  sk: string;
  tenant: string;
  day: string;
  scope: string;
  dims: Dimensions;
}

export interface MetricDifference {
  expected: number;
  /** The value read; undefined when the attribute (or the whole counter) was absent. */
  live: number | undefined;
}

/** One counter that differs: only its differing metrics, each with what was read. */
export interface CounterDiff extends CounterIdentity {
  metrics: Record<string, MetricDifference>;
}

/**
 * `repaired`: the counter now holds the expected values. `changed`: one of its differing metrics no
 * longer held the value read (the stream moved it in between), so nothing was written.
 */
export type RepairOutcome = 'repaired' | 'changed';

export interface CounterRepairer {
  /** Adds `expected − live` to each differing metric, on the condition that each still holds its `live` value. */
  repair(diff: CounterDiff): Promise<RepairOutcome>;
}
