/** What the aggregator needs from storage; implemented by lib/store/counters.ts and lib/store/dead-letters.ts. */
import type { CounterKey, Metrics } from '../table/counters';

export interface ChangeRecord {
  sequenceNumber: string;
  oldImage: Record<string, unknown> | undefined;
  newImage: Record<string, unknown> | undefined;
}

export interface RecordDelta {
  /** Padded to 40 digits so it compares as a string. */
  seq: string;
  metrics: Metrics;
}

export interface CounterGroup {
  pk: string;
  sk: string;
  key: CounterKey;
  records: RecordDelta[];
}

export interface ApplyResult {
  /** TransactWriteItems requests sent (including the ones cancelled and retried). */
  transactions: number;
  /** Counter item writes inside committed transactions. */
  counterWrites: number;
  /** Records applied now, and records skipped because the shard had applied them before (a redelivery). */
  applied: number;
  skipped: number;
  consumedWcu: number;
  /** The first (padded) sequence number left unapplied, with why; undefined when every record is applied. */
  failedFrom?: string;
  error?: unknown;
}

export interface CounterWriter {
  /**
   * Applies the records of `groups` (one shard's, each record with its sequence number) that the shard has
   * not applied yet, exactly once: in sequence order, each chunk in one transaction that also moves the
   * shard's watermark. Stops at the first chunk that fails (`failedFrom`): everything before it is applied.
   */
  applyShard(shardId: string, groups: CounterGroup[]): Promise<ApplyResult>;
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
