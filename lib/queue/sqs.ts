/**
 * Sending to an SQS queue (the adapter behind the inbound buffer and, later, delivery queues): one
 * SendMessage, resolved once SQS has stored the message (it answers only after a durable write, and the
 * client checks the body's MD5 against SQS's answer). Locally the endpoint is the SQS emulation.
 */
import { ChangeMessageVisibilityCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

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
