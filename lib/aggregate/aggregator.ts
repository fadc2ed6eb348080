/**
 * The stream-triggered aggregator: reads a shard's batch, writes the phone index of the pairs it makes
 * known (lib/aggregate/phone-pairs.ts), derives and coalesces counter deltas (pure),
 * applies each counter group once (watermarked, so a redelivered record changes nothing), and reports
 * the lowest sequence number whose effects are not fully applied as the batch item failure, so Lambda
 * retries from there and nothing after a failure is checkpointed.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { maskDigits } from '../observability/mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import { finalTotalsDelta } from './business';
import { padSequence } from './counter-key';
import { coalesceDeltas, recordDelta, type ChangeRecord, type CounterGroup, type RecordDeltas } from './deltas';
import { runInLanes } from '../lanes';
import type { CounterWriter, DeadLetterWriter, PhoneIndexWriter } from './ports';
import { phonePairsOf } from './phone-pairs';
import { mergeGroups, readWindow, writeWindow } from './window-state';

/** Flush before the window's state nears Lambda's 1 MB limit (Lambda would end the window early itself). */
export const STATE_FLUSH_BYTES = 600_000;

/** With a tumbling window configured, Lambda adds the shard id (and window state) to every invocation. */
export type StreamWindowEvent = DynamoDBStreamEvent & {
  shardId?: string;
  eventSourceARN?: string;
  window?: { start: string; end: string };
  state?: Record<string, string>;
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
};

export interface StreamWindowResponse {
  state: Record<string, string>;
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface AggregatorDeps {
  counters: CounterWriter;
  deadLetters: DeadLetterWriter;
  /** Writes the phone index from the records (lib/aggregate/phone-pairs.ts); absent: no index. */
  phoneIndex?: PhoneIndexWriter;
  telemetry: Pick<Telemetry, 'count' | 'gauge'>;
  log: Log;
  now: () => number;
  /** Stream record → change (unmarshalled images); lib/aws/stream-records.ts. */
  toChange: (record: DynamoDBRecord) => ChangeRecord;
  concurrency?: number;
}


export const buildAggregator = (deps: AggregatorDeps) => async (event: StreamWindowEvent): Promise<StreamWindowResponse> => {
  const shardId = event.shardId;
  // Without a shard id the watermarks cannot work: refuse loudly rather than double count.
  if (!shardId) throw new Error('aggregator needs the tumbling-window shardId; check tumblingWindowInSeconds on its event source');
  const changes: ChangeRecord[] = [];
  const deltas: Array<{ sequenceNumber: string; delta: RecordDeltas }> = [];
  for (const record of event.Records) {
    const change = deps.toChange(record);
    try {
      // A poison image throws here, before anything is applied.
      deltas.push({ sequenceNumber: change.sequenceNumber, delta: recordDelta(change) });
      changes.push(change);
    } catch (error) {
      await deps.deadLetters.add({ shardId, sequenceNumber: change.sequenceNumber, reason: String(error), record, at: deps.now() });
      deps.telemetry.count(METRICS.deadLetteredRecords);
      // A schema error quotes the offending value, which may be a phone number.
      deps.log.error('poison stream record dead-lettered', { shardId, sequenceNumber: change.sequenceNumber, reason: maskDigits(String(error)) });
    }
  }
  // The index is written at every invocation, not at the window's end: search trails the stream by one batch
  // window. A failure fails the invocation, which Lambda retries with the same state (index writes are idempotent).
  const pairs = deps.phoneIndex ? changes.flatMap(phonePairsOf) : [];
  if (pairs.length > 0) {
    const { refused } = await deps.phoneIndex!.index(pairs);
    for (const { pair, reason } of refused) {
      // The record still counts; only its index entry is missing, kept whole for a replay once the cause is fixed.
      const record = event.Records.find((r) => r.dynamodb?.SequenceNumber === pair.sequenceNumber);
      await deps.deadLetters.add({ shardId, sequenceNumber: pair.sequenceNumber, reason: `phone index: ${reason}`, record, at: deps.now() });
      deps.telemetry.count(METRICS.deadLetteredRecords);
      deps.log.error('phone index entry refused; record dead-lettered', { shardId, sequenceNumber: pair.sequenceNumber, reason: maskDigits(reason) });
    }
  }
  deps.telemetry.count(METRICS.aggregatedRecords, {}, event.Records.length);
  const newest = event.Records.at(-1)?.dynamodb?.ApproximateCreationDateTime;
  if (newest !== undefined) deps.telemetry.gauge(METRICS.aggregationLagMs, Math.max(0, deps.now() - newest * 1000), 'Milliseconds');
  const batchGroups = coalesceDeltas(deltas);
  // With a tumbling window (how Lambda is configured), the window's state carries every record's delta until
  // the window's final invocation: one write per counter item per window instead of one per batch.
  const windowed = event.window !== undefined;
  const groups = windowed ? mergeGroups(readWindow(event.state), batchGroups) : batchGroups;
  if (windowed && !event.isFinalInvokeForWindow) {
    const { state, bytes } = writeWindow(groups);
    if (bytes < STATE_FLUSH_BYTES) {
      countBusiness(deps, changes);
      return { state, batchItemFailures: [] };
    }
  }
  const results = await runInLanes(groups, deps.concurrency ?? 8, (group) => deps.counters.applyGroup(shardId, group));
  const failed: CounterGroup[] = groups.filter((_, index) => results[index]!.status === 'rejected');
  deps.telemetry.count(METRICS.counterWrites, {}, results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value.writes : 1), 0));
  const error = () => String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason);
  if (failed.length > 0 && windowed) {
    // The state holds records of earlier invocations that only a retry of this one (with the same state) can
    // re-apply: fail the invocation. Groups already written are skipped by their watermarks on the retry.
    deps.log.warn('counter groups failed at the window flush; the invocation will be retried', { shardId, failedGroups: failed.length, groups: groups.length, error: error() });
    throw new Error(`${failed.length} of ${groups.length} counter groups failed: ${error()}`);
  }
  const firstUnapplied = failed.length === 0 ? undefined : failed.map((group) => group.records[0]!.seq).sort()[0]!;
  // Business counters of the records this batch checkpoints; the others come back with the retry.
  countBusiness(deps, changes.filter((change) => firstUnapplied === undefined || padSequence(change.sequenceNumber) < firstUnapplied));
  if (firstUnapplied === undefined) return { state: {}, batchItemFailures: [] };
  const record = event.Records.find((r) => (r.dynamodb?.SequenceNumber ?? '').padStart(40, '0') === firstUnapplied);
  deps.log.warn('counter groups failed; batch will be retried from the first unapplied record', { shardId, failedGroups: failed.length, groups: groups.length, error: error() });
  return { state: {}, batchItemFailures: [{ itemIdentifier: record?.dynamodb?.SequenceNumber ?? firstUnapplied }] };
};

/** Dashboard trends (MessagesSent/Succeeded/Failed per channel) of the records this invocation settles. */
const countBusiness = (deps: Pick<AggregatorDeps, 'telemetry'>, changes: ChangeRecord[]): void => {
  for (const [channel, totals] of finalTotalsDelta(changes)) {
    const dims = { [DIMENSIONS.channel]: channel };
    if (totals.sent) deps.telemetry.count(METRICS.messagesSent, dims, totals.sent);
    if (totals.success) deps.telemetry.count(METRICS.messagesSucceeded, dims, totals.success);
    if (totals.failed) deps.telemetry.count(METRICS.messagesFailed, dims, totals.failed);
  }
};
