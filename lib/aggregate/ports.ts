/** What the aggregator needs from storage; implemented by lib/store/counters.ts and lib/store/dead-letters.ts. */
import type { CounterGroup } from './deltas';
import type { PhonePair } from './phone-pairs';

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

export interface PhoneIndexResult {
  /** Pairs not indexed when read (written or erased below, or only counted in a dry run). */
  missing: number;
  /** Index items written (new pairs). */
  written: number;
  /** Pairs found indexed already (a later callback of the pair, a redelivered record). */
  present: number;
  /** Messages erased instead: their callback was stored before an erasure of the phone that did not see it. */
  erased: number;
  /** Pairs DynamoDB refused as invalid (a retry cannot fix them): the aggregator dead-letters their records. */
  refused: Array<{ pair: PhonePair; reason: string }>;
}

export interface PhoneIndexWriter {
  /** Indexes each pair not indexed yet, once; throws on a storage outage (the records are retried). */
  index(pairs: PhonePair[], options?: { dryRun?: boolean }): Promise<PhoneIndexResult>;
}
