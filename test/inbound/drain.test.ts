/**
 * The drain of the inbound buffer (lib/inbound/drain.ts) over an SQS event, in memory: every message goes to
 * its provider's store, the ones that fail are reported in `batchItemFailures` (SQS keeps them) and hidden
 * for 2^receives seconds (at most 15 minutes), the others are acknowledged.
 */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { BufferedRequest } from '../../lib/inbound/buffer';
import { buildInboundDrain, retryDelaySeconds } from '../../lib/inbound/drain';

const esms = (raw: string): BufferedRequest => ({ v: 1, provider: 'esms', tenant: 'acme', route: 'sms', raw, receivedAt: 1, work: { kind: 'store' } });
const zalo: BufferedRequest = { v: 1, provider: 'zalo', tenant: 'acme', raw: '{}', headers: {}, receivedAt: 1, work: { kind: 'store' } };
const event = (messages: BufferedRequest[], receives = 1): SQSEvent => ({
  Records: messages.map((message, i) => ({
    messageId: `m${i}`, receiptHandle: `r${i}`, body: JSON.stringify(message),
    attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '1', SenderId: 'x', ApproximateFirstReceiveTimestamp: '1' },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'local',
  })),
});
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('inbound drain', () => {
  it('stores each message with its provider\'s store and reports only the failed ones, hidden for a backoff', async () => {
    const seen: string[] = [];
    const hidden: Array<[string, number]> = [];
    const drain = buildInboundDrain({
      esms: async (request) => {
        seen.push(`esms:${request.raw}`);
        if (request.raw === 'fails') throw new Error('throttled');
        return 'stored';
      },
      zalo: async (request) => (seen.push(`zalo:${request.raw}`), 'stored'),
      retryLater: async (receipt, seconds) => void hidden.push([receipt, seconds]),
      telemetry: { count: () => undefined }, log: silent,
    });
    const answer = await drain(event([esms('a'), esms('fails'), zalo], 3));
    expect(seen.sort()).toEqual(['esms:a', 'esms:fails', 'zalo:{}']);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(hidden).toEqual([['r1', 8]]);
  });

  it('backs off 2, 4, 8 … seconds per receive, at most 15 minutes', () => {
    expect([1, 2, 3, 9, 10, 11, 200].map(retryDelaySeconds)).toEqual([2, 4, 8, 512, 900, 900, 900]);
  });
});
