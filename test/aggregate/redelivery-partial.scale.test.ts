import { describe, expect, it } from 'vitest';
import { rng } from '../support/callback-load';
import { expectExactCounters } from '../support/aggregation-check';
import { useStack } from '../support/stack';

const random = rng(7);
const faults = { partial: 0, thrown: 0 };
const stack = useStack({
  aggregator: {
    batchSize: 25,
    batchWindowMs: 20,
    maximumRetryAttempts: 50,
    // After the real aggregator has applied the batch, report a failure at a random record (Lambda then
    // redelivers from there) or throw (Lambda bisects the batch and retries both halves).
    wrapInvoke: (invoke) => async (event) => {
      const response = await invoke(event);
      const roll = random();
      if (roll < 0.3 && event.Records.length > 0) {
        faults.partial += 1;
        const at = event.Records[Math.floor(random() * event.Records.length)]!;
        return { ...response, batchItemFailures: [{ itemIdentifier: at.dynamodb!.SequenceNumber! }] };
      }
      if (roll < 0.5) {
        faults.thrown += 1;
        throw new Error('injected failure after the counters were written');
      }
      return response;
    },
  },
});

describe('redelivery: batches failing at a random record, retried and bisected', () => {
  it('keeps the counters exact and dead-letters nothing', async () => {
    await expectExactCounters(stack(), 23);
    expect(faults.partial).toBeGreaterThan(3);
    expect(faults.thrown).toBeGreaterThan(3);
    expect(stack().poller!.deadLetters).toEqual([]);
  }, 240_000);
});
