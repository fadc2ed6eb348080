/**
 * The queues of infra/queues.json on the SQS emulation (infra/fakes/sqs), the environment that names them
 * (each queue's `env`, and SQS_ENDPOINT), and a poller per function a queue triggers (the manifests'
 * `trigger.sqs`), invoking the same handler module Lambda would. With a data directory the queues persist
 * beside DynamoDB Local's files.
 */
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import queueDefinitions from '../queues.json';
import { startFakeSqs, type FakeSqs } from '../fakes/sqs/server';
import { lambdaContext } from './apigw';
import { portIsFree } from './dynamodb';
import { startQueuePoller, type QueuePoller } from './queue-poller';
import { queueConsumers } from './routes';
import { loadHandler } from './server';

type Definition = { env?: string; name: string; attributes: Record<string, string>; redrive?: { to: string; maxReceiveCount: number } };
const definitions = Object.entries(queueDefinitions).filter(([name]) => !name.startsWith('$')) as Array<[string, Definition]>;
const ARN_PREFIX = 'arn:aws:sqs:local:000000000000:';
/** Invocations of one queue's function at once, locally (Lambda's are the manifest's `maximumConcurrency`). */
const LOCAL_MAX_CONCURRENCY = 8;

export interface LocalQueues {
  fake: FakeSqs;
  urls: Record<string, string>;
  pollers: Record<string, QueuePoller>;
  /** Resolves once every triggered queue is empty (its messages handled, or moved to a dead-letter queue). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const startLocalQueues = async (preferredPort: number | undefined, dataDir: string | undefined): Promise<LocalQueues> => {
  const port = preferredPort !== undefined && (await portIsFree(preferredPort)) ? preferredPort : 0;
  const persistent = dataDir !== undefined && dataDir !== ':memory:';
  const fake = await startFakeSqs({ port, ...(persistent && { file: `${dataDir}/sqs-queues.json` }) });
  const client = new SQSClient({ endpoint: fake.url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const urls: Record<string, string> = {};
  // Dead-letter queues first: a redrive policy names its target's ARN.
  for (const [name, queue] of [...definitions].sort(([, a], [, b]) => Number(a.redrive !== undefined) - Number(b.redrive !== undefined))) {
    const attributes = {
      ...queue.attributes,
      ...(queue.redrive && { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${ARN_PREFIX}${queue.redrive.to}`, maxReceiveCount: queue.redrive.maxReceiveCount }) }),
    };
    urls[name] = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    if (queue.env) process.env[queue.env] = urls[name];
  }
  process.env.SQS_ENDPOINT = fake.url;
  const pollers: Record<string, QueuePoller> = {};
  for (const consumer of queueConsumers()) {
    const handler = await loadHandler<(event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>>(consumer.module, consumer.exportName);
    pollers[consumer.functionName] = startQueuePoller({
      client, queueUrl: urls[consumer.queue]!, queueArn: `${ARN_PREFIX}${consumer.queue}`,
      batchSize: consumer.batchSize, batchWindowMs: consumer.maximumBatchingWindow * 1000,
      // The manifest's maximum concurrency, within what this machine's stack can afford.
      concurrency: Math.min(consumer.maximumConcurrency, LOCAL_MAX_CONCURRENCY),
      invoke: (event) => handler(event, lambdaContext(consumer.functionName, 30_000)),
      onError: (error) => console.error(`[local] ${consumer.functionName} queue poller:`, error),
    });
  }
  return {
    fake,
    urls,
    pollers,
    async idle() {
      await Promise.all(Object.values(pollers).map((poller) => poller.idle()));
    },
    async stop() {
      await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
      client.destroy();
      await fake.close();
    },
  };
};
