/**
 * The inbound buffer of a provider-facing function (lib/inbound/buffer.ts) over its SQS queue. The SQS client
 * is loaded and built on the first request that needs it: a callback function whose storage keeps up never
 * pays its module init at cold start.
 */
import type { InboundBuffer } from '../inbound/buffer';
import { config } from './shared';

let sender: Promise<(body: string) => Promise<void>> | undefined;

export const inboundBuffer = (): InboundBuffer | undefined => {
  const url = config.inboundBufferQueueUrl;
  if (url === undefined) return undefined;
  return {
    async keep(request) {
      sender ??= import('../queue/sqs').then(({ buildSqsClient, queueSender }) => queueSender(buildSqsClient(config.sqsEndpoint), url));
      await (await sender)(JSON.stringify(request));
    },
  };
};
