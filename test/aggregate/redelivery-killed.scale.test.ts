import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toChange } from '../../lib/aws/stream-records';
import { buildAggregator } from '../../lib/aggregate/aggregator';
import { buildCountersStore } from '../../lib/store/counters';
import { buildDeadLetterStore } from '../../lib/store/dead-letters';
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
    // Counters are written when a window closes: short windows give the kills below many flushes to hit.
    tumblingWindowInSeconds: 2,
    maximumRetryAttempts: 50,
    // The real aggregator over real stores, except that in some invocations the process "dies" after a
    // random number of counter transactions: the rest are never written and no response is sent.
    wrapInvoke: () => {
      const doc = DynamoDBDocumentClient.from(localClient(process.env.DYNAMODB_ENDPOINT!));
      let budget = Infinity;
      let killed = false;
      const dyingClient = {
        send: (command: { constructor: { name: string } }) => {
          if (command.constructor.name === 'TransactWriteCommand') {
            if (budget <= 0) {
              killed = true;
              return Promise.reject(new Error('killed'));
            }
            budget -= 1;
          }
          return doc.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient;
      const aggregate = buildAggregator({
        toChange,
        counters: buildCountersStore(dyingClient, process.env.COUNTERS_TABLE!), deadLetters: buildDeadLetterStore(doc, process.env.COUNTERS_TABLE!),
        telemetry: { count: () => undefined, gauge: () => undefined }, log: silent, now: Date.now,
      });
      return async (event) => {
        // The first three flushes die before their first transaction; later ones at random, some mid-flush.
        budget = kills < 3 ? 0 : random() < 0.5 ? Math.floor(random() * 2) : Infinity;
        killed = false;
        let response;
        try {
          response = await aggregate(event);
        } catch (error) {
          // A kill during a window's flush surfaces as the aggregator's own error.
          if (!killed) throw error;
        }
        if (killed) {
          kills += 1;
          throw new Error('killed mid-batch');
        }
        return response!;
      };
    },
  },
});

describe('redelivery: aggregator killed mid-batch', () => {
  it('keeps the counters exact', async () => {
    await expectExactCounters(stack(), 42);
    expect(kills).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
