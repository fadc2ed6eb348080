/** The delivery queue's sender (infra/queues.json DestinationDeliveries), shared by the routes, the projector and the delivery function. */
import { requireSetting } from '../config/settings';
import type { EnqueueDeliveries } from '../destinations/ports';
import { config } from './shared';

let sender: Promise<(messages: ReadonlyArray<{ body: string; delaySeconds?: number }>) => Promise<void>> | undefined;
/** The delivery queue's sender, its SQS client loaded on first use (routes that never enqueue never pay for it). */
export const enqueueDeliveries: EnqueueDeliveries = async (tasks) => {
  const url = requireSetting(config.destinationQueueUrl, 'DESTINATION_QUEUE_URL');
  sender ??= import('../queue/sqs').then(({ buildSqsClient, queueBatchSender }) => queueBatchSender(buildSqsClient(config.sqsEndpoint), url));
  await (await sender)(tasks.map(({ task, delaySeconds }) => ({ body: JSON.stringify(task), ...(delaySeconds !== undefined && { delaySeconds }) })));
};
