/**
 * The stream-triggered aggregator: reads a shard's batch, writes the phone index of the pairs it makes
 * known (lib/projector/phone-pairs.ts), derives and coalesces counter deltas (pure),
 * applies each counter group once (watermarked, so a redelivered record changes nothing), and reports
 * the lowest sequence number whose effects are not fully applied as the batch item failure, so Lambda
 * retries from there and nothing after a failure is checkpointed.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { maskDigits } from '../mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import { finalTotalsDelta } from './business';
import { padSequence } from './counter-key';
import { coalesceDeltas, counterDelta, type ChangeRecord, type RecordDeltas } from './deltas';
import type { CounterWriter, DeadLetterWriter } from './ports';
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
  telemetry: Pick<Telemetry, 'count' | 'gauge'>;
  log: Log;
  now: () => number;
  /** Stream record → change (unmarshalled images); lib/aws/stream-records.ts. */
  toChange: (record: DynamoDBRecord) => ChangeRecord;
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
      deltas.push({ sequenceNumber: change.sequenceNumber, delta: counterDelta(change) });
      changes.push(change);
    } catch (error) {
      await deps.deadLetters.add({ shardId, sequenceNumber: change.sequenceNumber, reason: String(error), record, at: deps.now() });
      deps.telemetry.count(METRICS.deadLetteredRecords);
      // A schema error quotes the offending value, which may be a phone number.
      deps.log.error('poison stream record dead-lettered', { shardId, sequenceNumber: change.sequenceNumber, reason: maskDigits(String(error)) });
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
  const applied = await deps.counters.applyShard(shardId, groups);
  deps.telemetry.count(METRICS.counterWrites, {}, applied.counterWrites);
  if (applied.failedFrom !== undefined && windowed) {
    // The state holds records of earlier invocations that only a retry of this one (with the same state) can
    // re-apply: fail the invocation. What was applied is skipped on the retry by the shard's watermark.
    deps.log.warn('counters failed at the window flush; the invocation will be retried', { shardId, applied: applied.applied, error: String(applied.error) });
    throw new Error(`counters failed from record ${applied.failedFrom}: ${String(applied.error)}`);
  }
  const firstUnapplied = applied.failedFrom;
  // Business counters of the records this batch checkpoints; the others come back with the retry.
  countBusiness(deps, changes.filter((change) => firstUnapplied === undefined || padSequence(change.sequenceNumber) < firstUnapplied));
  if (firstUnapplied === undefined) return { state: {}, batchItemFailures: [] };
  const record = event.Records.find((r) => (r.dynamodb?.SequenceNumber ?? '').padStart(40, '0') === firstUnapplied);
  deps.log.warn('counters failed; batch will be retried from the first unapplied record', { shardId, applied: applied.applied, error: String(applied.error) });
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
