/**
 * The audit as pure functions: expected counters recomputed from stored items with the same
 * `contributionsOf` the aggregator uses, compared metric by metric with the live counter items.
 */
import { counterKeys } from '../aggregate/counter-key';
import { contributionsOf, type Metrics } from '../aggregate/contributions';

export interface ExpectedCounter {
  pk: string;
  sk: string;
  day: string;
  scope: string;
  dims: Record<string, string>;
  metrics: Metrics;
}

export interface CounterDifference {
  pk: string;
  sk: string;
  day: string;
  metric: string;
  expected: number;
  live: number;
}

export const expectedCounters = (items: Iterable<Record<string, unknown>>, days: ReadonlySet<string>): Map<string, ExpectedCounter> => {
  const expected = new Map<string, ExpectedCounter>();
  for (const item of items) {
    for (const { key, metrics } of contributionsOf(item)) {
      if (!days.has(key.day)) continue;
      const { pk, sk } = counterKeys(key);
      const slot = expected.get(`${pk}\n${sk}`) ?? { pk, sk, day: key.day, scope: key.scope, dims: key.dims, metrics: {} };
      for (const [name, value] of Object.entries(metrics)) slot.metrics[name] = (slot.metrics[name] ?? 0) + value;
      expected.set(`${pk}\n${sk}`, slot);
    }
  }
  return expected;
};

const METRIC_NAMES = ['requests', 'receivers', 'sent', 'success', 'failed', 'priceE4', 'events'];

export const compareCounters = (expected: Map<string, ExpectedCounter>, live: Array<Record<string, unknown>>): CounterDifference[] => {
  const differences: CounterDifference[] = [];
  const seen = new Set<string>();
  for (const item of live) {
    if (typeof item.scope !== 'string') continue;
    const id = `${item.pk}\n${item.sk}`;
    seen.add(id);
    const want = expected.get(id);
    for (const metric of METRIC_NAMES) {
      const liveValue = Number(item[metric] ?? 0);
      const expectedValue = want?.metrics[metric] ?? 0;
      if (liveValue !== expectedValue) {
        differences.push({ pk: String(item.pk), sk: String(item.sk), day: String(item.day), metric, expected: expectedValue, live: liveValue });
      }
    }
  }
  for (const [id, want] of expected) {
    if (seen.has(id)) continue;
    for (const [metric, value] of Object.entries(want.metrics)) {
      if (value !== 0) differences.push({ pk: want.pk, sk: want.sk, day: want.day, metric, expected: value, live: 0 });
    }
  }
  return differences;
};
