/**
 * Lambda's SQS event source mapping, locally: long-polls a queue of the SQS emulation with the real SQS
 * client, invokes the function with an SQSEvent of up to `batchSize` messages (waiting up to the batching
 * window to fill it), deletes the messages the answer does not name in `batchItemFailures`, and leaves the
 * others to come back after their visibility timeout (and, past the queue's receive limit, to move to its
 * dead-letter queue). A thrown invocation leaves the whole batch. With `concurrency` several such loops run,
 * as Lambda runs several invocations of one queue at once. `idle()` resolves when the queue is empty.
 */
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export interface QueuePollerOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  batchWindowMs: number;
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Batches in flight at once (Lambda runs several invocations of a queue side by side); 1 unless said. */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

const toRecord = (message: Message, arn: string): SQSEvent['Records'][number] => ({
  messageId: message.MessageId!,
  receiptHandle: message.ReceiptHandle!,
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? '',
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: arn,
  awsRegion: 'local',
});

export const startQueuePoller = (options: QueuePollerOptions) => {
  let running = true;
  const stats = { invocations: 0, messages: 0, failed: 0 };
  const receive = async (wait: number): Promise<Message[]> =>
    (await options.client.send(new ReceiveMessageCommand({
      QueueUrl: options.queueUrl, MaxNumberOfMessages: Math.min(10, options.batchSize), WaitTimeSeconds: wait, MessageSystemAttributeNames: ['All'],
    }))).Messages ?? [];

  const poll = async () => {
    while (running) {
      try {
        const batch = await receive(1);
        if (batch.length === 0) continue;
        const until = Date.now() + options.batchWindowMs;
        while (running && batch.length < options.batchSize && Date.now() < until) {
          const more = await receive(0);
          if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
          batch.push(...more);
        }
        stats.invocations += 1;
        stats.messages += batch.length;
        let failed = new Set(batch.map((message) => message.MessageId!));
        try {
          const answer = await options.invoke({ Records: batch.map((message) => toRecord(message, options.queueArn)) });
          failed = new Set((answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        } catch (error) {
          options.onError?.(error);
        }
        stats.failed += failed.size;
        const done = batch.filter((message) => !failed.has(message.MessageId!));
        for (let i = 0; i < done.length; i += 10) {
          await options.client.send(new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.slice(i, i + 10).map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
          }));
        }
      } catch (error) {
        if (running) options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  const loop = Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, poll));

  return {
    stats,
    /** Resolves once the queue holds no message, visible, in flight or delayed. */
    async idle(): Promise<void> {
      for (;;) {
        const { Attributes = {} } = await options.client.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['All'] }));
        const left = (['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const)
          .reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
        if (left === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      running = false;
      await loop;
    },
  };
};
export type QueuePoller = ReturnType<typeof startQueuePoller>;
