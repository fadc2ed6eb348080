import { describe, expect, it } from 'vitest';
import { expectExactCounters } from '../support/aggregation-check';
import { useStack } from '../support/stack';

let invocations = 0;
const stack = useStack({
  aggregator: {
    batchSize: 20,
    batchWindowMs: 20,
    // Lambda may deliver the same batch again (timeouts, retries): here every batch arrives twice.
    wrapInvoke: (invoke) => async (event) => {
      invocations += 2;
      await invoke(event);
      return invoke(event);
    },
  },
});

describe('redelivery: every stream batch delivered twice', () => {
  it('keeps the counters exact', async () => {
    await expectExactCounters(stack(), 11);
    expect(invocations).toBeGreaterThan(20);
  }, 240_000);
});
