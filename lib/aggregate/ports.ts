/** What the aggregator needs from storage; implemented by lib/store/counters.ts and lib/store/dead-letters.ts. */
import type { CounterGroup } from './deltas';

export interface ApplyResult {
  /** UpdateItem requests sent (including the ones refused by the watermark condition). */
  writes: number;
  applied: number;
  skipped: number;
  consumedWcu: number;
}

export interface CounterWriter {
  /** Applies a group's records that the counter has not applied yet (per-shard watermark), exactly once. */
  applyGroup(shardId: string, group: CounterGroup): Promise<ApplyResult>;
}

export interface DeadLetter {
  shardId: string;
  sequenceNumber: string;
  reason: string;
  record: unknown;
  at: number;
}

export interface DeadLetterWriter {
  add(letter: DeadLetter): Promise<void>;
}
