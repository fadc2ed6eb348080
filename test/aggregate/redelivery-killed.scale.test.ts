import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toChange } from '../../lib/aws/stream-records';
import { buildAggregator } from '../../lib/aggregate/aggregator';
import { buildCountersStore } from '../../lib/store/counters';
import { buildDeadLetterStore } from '../../lib/store/dead-letters';
import { buildMessageEraser } from '../../lib/store/esms-erasure';
import { buildPhoneIndexWriter } from '../../lib/store/esms-phone-index';
import { localClient } from '../../infra/local/dynamodb';
import { rng } from '../support/callback-load';
import { expectExactCounters } from '../support/aggregation-check';
import { useStack } from '../support/stack';

const random = rng(99);
let kills = 0;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;

const stack = useStack({
  aggregator: {
    batchSize: 30,
    batchWindowMs: 20,
    maximumRetryAttempts: 50,
    // The real aggregator over real stores, except that in some invocations the process "dies" after a
    // random number of counter writes: the remaining groups are never written and no response is sent.
    wrapInvoke: () => {
      const doc = DynamoDBDocumentClient.from(localClient(process.env.DYNAMODB_ENDPOINT!));
      const counters = buildCountersStore(doc, process.env.COUNTERS_TABLE!);
      let budget = Infinity;
      const dying = {
        applyGroup: async (...args: Parameters<typeof counters.applyGroup>) => {
          if (budget <= 0) throw new Error('killed');
          budget -= 1;
          return counters.applyGroup(...args);
        },
      };
      const messages = process.env.MESSAGES_TABLE!;
      const aggregate = buildAggregator({
        toChange,
        counters: dying, deadLetters: buildDeadLetterStore(doc, process.env.COUNTERS_TABLE!),
        phoneIndex: buildPhoneIndexWriter(doc, messages, buildMessageEraser(doc, messages)),
        telemetry: { count: () => undefined, gauge: () => undefined }, log: silent, now: Date.now,
      });
      return async (event) => {
        budget = random() < 0.4 ? Math.floor(random() * 4) : Infinity;
        let response;
        try {
          response = await aggregate(event);
        } finally {
          // A kill during the counter writes surfaces as the aggregator's own error: it counts as a kill too.
          if (budget <= 0) kills += 1;
        }
        if (budget <= 0) throw new Error('killed mid-batch');
        return response;
      };
    },
  },
});

describe('redelivery: aggregator killed mid-batch', () => {
  it('keeps the counters exact', async () => {
    await expectExactCounters(stack(), 42);
    expect(kills).toBeGreaterThan(3);
  }, 240_000);
});
