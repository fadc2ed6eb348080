/**
 * The stream-triggered aggregator: reads a shard's batch, derives and coalesces counter deltas (pure),
 * applies each counter group once (watermarked, so a redelivered record changes nothing), and reports
 * the lowest sequence number whose effects are not fully applied as the batch item failure, so Lambda
 * retries from there and nothing after a failure is checkpointed.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { maskDigits } from '../observability/mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/telemetry';
import type { CountersStore } from '../store/counters';
import type { DeadLetterStore } from '../store/dead-letters';
import { finalTotalsDelta } from './business';
import { padSequence } from './counter-key';
import { coalesceDeltas, recordDelta, type ChangeRecord, type CounterGroup, type RecordDeltas } from './deltas';

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
  counters: Pick<CountersStore, 'applyGroup'>;
  deadLetters: Pick<DeadLetterStore, 'add'>;
  telemetry: Pick<Telemetry, 'count' | 'gauge'>;
  log: Log;
  now: () => number;
  concurrency?: number;
}

// Lambda's and the SDK's AttributeValue types differ only in optionality; the wire format is the same.
const image = (value: object | undefined) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

/** TTL expiry deletes raw data, not facts: those REMOVE records must not subtract from the reports. */
const isTtlDelete = (record: DynamoDBRecord): boolean =>
  record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';

/** A TTL expiry keeps the item's contribution: old and new are both the expired image, so the delta is zero. */
export const toChange = (record: DynamoDBRecord): ChangeRecord => {
  const oldImage = image(record.dynamodb?.OldImage);
  return {
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    oldImage,
    newImage: isTtlDelete(record) ? oldImage : image(record.dynamodb?.NewImage),
  };
};

const runLimited = async <T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> => {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index]!) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  });
  await Promise.all(lanes);
  return results;
};

export const buildAggregator = (deps: AggregatorDeps) => async (event: StreamWindowEvent): Promise<StreamWindowResponse> => {
  const shardId = event.shardId;
  // Without a shard id the watermarks cannot work: refuse loudly rather than double count.
  if (!shardId) throw new Error('aggregator needs the tumbling-window shardId; check tumblingWindowInSeconds on its event source');
  const changes: ChangeRecord[] = [];
  const deltas: Array<{ sequenceNumber: string; delta: RecordDeltas }> = [];
  for (const record of event.Records) {
    const change = toChange(record);
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
  const groups = coalesceDeltas(deltas);
  const results = await runLimited(groups, deps.concurrency ?? 8, (group) => deps.counters.applyGroup(shardId, group));
  const failed: CounterGroup[] = groups.filter((_, index) => results[index]!.status === 'rejected');
  const writes = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value.writes : 1), 0);
  deps.telemetry.count(METRICS.aggregatedRecords, {}, event.Records.length);
  deps.telemetry.count(METRICS.counterWrites, {}, writes);
  const newest = event.Records.at(-1)?.dynamodb?.ApproximateCreationDateTime;
  if (newest !== undefined) deps.telemetry.gauge(METRICS.aggregationLagMs, Math.max(0, deps.now() - newest * 1000), 'Milliseconds');
  const firstUnapplied = failed.length === 0 ? undefined : failed.map((group) => group.records[0]!.seq).sort()[0]!;
  // Business counters of the records this batch checkpoints; the others come back with the retry.
  const settled = changes.filter((change) => firstUnapplied === undefined || padSequence(change.sequenceNumber) < firstUnapplied);
  for (const [channel, totals] of finalTotalsDelta(settled)) {
    const dims = { [DIMENSIONS.channel]: channel };
    if (totals.sent) deps.telemetry.count(METRICS.messagesSent, dims, totals.sent);
    if (totals.success) deps.telemetry.count(METRICS.messagesSucceeded, dims, totals.success);
    if (totals.failed) deps.telemetry.count(METRICS.messagesFailed, dims, totals.failed);
  }
  if (firstUnapplied === undefined) return { state: {}, batchItemFailures: [] };
  const record = event.Records.find((r) => (r.dynamodb?.SequenceNumber ?? '').padStart(40, '0') === firstUnapplied);
  deps.log.warn('counter groups failed; batch will be retried from the first unapplied record', {
    shardId, failedGroups: failed.length, groups: groups.length, error: String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason),
  });
  return { state: {}, batchItemFailures: [{ itemIdentifier: record?.dynamodb?.SequenceNumber ?? firstUnapplied }] };
};
