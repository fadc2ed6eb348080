/**
 * The drain of the durable buffer (an SQS queue; lib/inbound/buffer.ts): each message is a provider request
 * the live path could not store in time, stored now exactly as the live path would have (same tenant, route
 * and receive time), so a request that reached storage after all is a duplicate and nothing counts twice.
 * A message that cannot be stored yet stays in the queue (partial batch response), hidden for 2^receives
 * seconds (at most 15 minutes): seconds after a short outage, rarely during a long one; after 200 receives
 * (about two days) SQS moves it to the dead-letter queue, where an alarm waits.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as v from 'valibot';
import { runInLanes } from '../lanes';
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import { BufferedRequestSchema, type BufferedRequest } from './buffer';

export interface DrainDeps {
  esms: (request: Extract<BufferedRequest, { provider: 'esms' }>) => Promise<string>;
  zalo: (request: Extract<BufferedRequest, { provider: 'zalo' }>) => Promise<string>;
  /** Hides a message for `seconds` before SQS delivers it again (ChangeMessageVisibility on its receipt). */
  retryLater: (receiptHandle: string, seconds: number) => Promise<void>;
  telemetry: Pick<Telemetry, 'count'>;
  log: Log;
  concurrency?: number;
}

/** 2, 4, 8 … seconds after each failed receive, at most 15 minutes. */
export const retryDelaySeconds = (receives: number): number => Math.min(900, 2 ** Math.max(1, Math.min(receives, 10)));

export const buildInboundDrain = (deps: DrainDeps) => async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcomes = await runInLanes(event.Records, deps.concurrency ?? 10, async (record) => {
    const request = v.parse(BufferedRequestSchema, JSON.parse(record.body));
    return request.provider === 'esms' ? deps.esms(request) : deps.zalo(request);
  });
  const failures = event.Records.filter((_, index) => outcomes[index]!.status === 'rejected');
  deps.telemetry.count(METRICS.bufferDrained, {}, event.Records.length - failures.length);
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') {
      const { messageId, attributes, receiptHandle } = event.Records[index]!;
      const wait = retryDelaySeconds(Number(attributes.ApproximateReceiveCount));
      deps.log.warn('buffered request not stored yet; SQS delivers it again', { messageId, receives: attributes.ApproximateReceiveCount, retryInSeconds: wait, error: String(outcome.reason) });
      // If hiding it fails too, the queue's own visibility timeout brings it back.
      await deps.retryLater(receiptHandle, wait).catch(() => undefined);
    }
  }
  return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
};
