/**
 * Sending to an SQS queue (the adapter behind the inbound buffer and, later, delivery queues): one
 * SendMessage, resolved once SQS has stored the message (it answers only after a durable write, and the
 * client checks the body's MD5 against SQS's answer). Locally the endpoint is the SQS emulation.
 */
import { ChangeMessageVisibilityCommand, SQSClient, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

export const buildSqsClient = (endpoint: string | undefined): SQSClient => new SQSClient({
  ...(endpoint !== undefined
    ? {
      endpoint,
      region: process.env.AWS_REGION ?? 'local',
      ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    }
    : {}),
  maxAttempts: 3,
});

export const queueSender = (client: SQSClient, queueUrl: string) => async (body: string, delaySeconds?: number): Promise<void> => {
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...(delaySeconds !== undefined && { DelaySeconds: delaySeconds }) }));
};

/** Hides a received message for `seconds` (its next delivery), by its receipt handle. */
export const visibilityChanger = (client: SQSClient, queueUrl: string) => async (receiptHandle: string, seconds: number): Promise<void> => {
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
};

/**
 * Sends many messages, ten per SendMessageBatch; entries SQS refuses are sent again (three rounds), then the
 * call throws, so a caller never believes a message queued that is not.
 */
export const queueBatchSender = (client: SQSClient, queueUrl: string) =>
  async (messages: ReadonlyArray<{ body: string; delaySeconds?: number }>): Promise<void> => {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((message, index) => ({
        Id: String(index), MessageBody: message.body, ...(message.delaySeconds !== undefined && { DelaySeconds: message.delaySeconds }),
      }));
      for (let round = 0; entries.length > 0; round += 1) {
        const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((answer.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && round >= 2) throw new Error(`SQS refused ${entries.length} messages`);
      }
    }
  };
