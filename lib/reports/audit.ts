/**
 * The audit as pure functions: expected counters recomputed from stored items with the same
 * `contributionsOf` the aggregator uses, folded in one item at a time (only counters are kept, never an
 * item), then compared metric by metric with the live counter items. The repair goes through the
 * CounterRepairer port (lib/reports/ports.ts, implemented by lib/store/counter-repair.ts).
 */
import * as v from 'valibot';
import { contributionsOf } from '../aggregate/contributions';
import { COUNTER_METRICS, counterKeys, type Contribution, type Metrics } from '../table/counters';
import { CounterItemSchema } from './daily';
import type { CounterDiff, CounterIdentity, MetricDifference } from './ports';

export interface ExpectedCounter extends CounterIdentity {
  metrics: Metrics;
}

/** What the scan folds into: counters and a few numbers, whatever the number of items. */
export interface ExpectedCounters {
  /** By counterId(pk, sk). */
  counters: Map<string, ExpectedCounter>;
  /** Tenants with at least one counted item on any day (only the filtered one when filtering). */
  tenants: Set<string>;
  scannedItems: number;
  /** Items contributionsOf cannot read (the aggregator dead-letters their stream records): counted, not folded. */
  unreadableItems: number;
}

export const counterId = (pk: string, sk: string): string => `${pk}\n${sk}`;

export const emptyExpected = (tenant?: string): ExpectedCounters =>
  ({ counters: new Map(), tenants: new Set(tenant === undefined ? [] : [tenant]), scannedItems: 0, unreadableItems: 0 });

/** Folds one stored item into the expected counters of `days` (of `tenant` only, when given); returns `state`. */
export const addExpected = (state: ExpectedCounters, item: Record<string, unknown>, days: ReadonlySet<string>, tenant?: string): ExpectedCounters => {
  state.scannedItems += 1;
  let contributions: Contribution[];
  try {
    contributions = contributionsOf(item);
  } catch {
    state.unreadableItems += 1;
    return state;
  }
  for (const { key, metrics } of contributions) {
    if (tenant !== undefined && key.tenant !== tenant) continue;
    state.tenants.add(key.tenant);
    if (!days.has(key.day)) continue;
    const { pk, sk } = counterKeys(key);
    const id = counterId(pk, sk);
    let slot = state.counters.get(id);
    if (!slot) {
      slot = { pk, sk, tenant: key.tenant, day: key.day, scope: key.scope, dims: { ...key.dims }, metrics: {} };
      state.counters.set(id, slot);
    }
    for (const [name, value] of Object.entries(metrics)) slot.metrics[name] = (slot.metrics[name] ?? 0) + value;
  }
  return state;
};

/** The expected counters of a whole collection of items (tests and small inputs; the audit folds page by page). */
export const expectedCounters = (items: Iterable<Record<string, unknown>>, days: ReadonlySet<string>, tenant?: string): ExpectedCounters => {
  const state = emptyExpected(tenant);
  for (const item of items) addExpected(state, item, days, tenant);
  return state;
};

export interface LiveCounter extends CounterIdentity {
  /** Only the metric attributes the item has: an absent one is not a zero one for the repair's condition. */
  metrics: Metrics;
}

/**
 * A live counter item of `tenant` (read from its day buckets), or undefined for any other item. Only its
 * counter metrics (lib/table/counters.ts) are read: watermarks `w#…`, dims and the rest are never compared or repaired.
 */
export const readLiveCounter = (tenant: string, item: Record<string, unknown>): LiveCounter | undefined => {
  const parsed = v.safeParse(CounterItemSchema, item);
  if (!parsed.success || typeof item.pk !== 'string' || typeof item.sk !== 'string') return undefined;
  const metrics: Metrics = {};
  for (const name of COUNTER_METRICS) {
    const value = item[name];
    if (value !== undefined) metrics[name] = Number(value);
  }
  const { scope, day, dims } = parsed.output;
  return { pk: item.pk, sk: item.sk, tenant, day, scope, dims, metrics };
};

/**
 * Every counter whose metrics differ from the expected ones: live counters against the expected counters
 * (a live counter with no expected one must be all zeros), then expected counters no live item has.
 * `live` must cover the same tenants and days the expected counters were folded for.
 */
export const diffCounters = (expected: ReadonlyMap<string, ExpectedCounter>, live: Iterable<LiveCounter>): CounterDiff[] => {
  const diffs: CounterDiff[] = [];
  const seen = new Set<string>();
  for (const counter of live) {
    const id = counterId(counter.pk, counter.sk);
    seen.add(id);
    const want = expected.get(id)?.metrics ?? {};
    const metrics: Record<string, MetricDifference> = {};
    for (const name of new Set([...Object.keys(counter.metrics), ...Object.keys(want)])) {
      const expectedValue = want[name] ?? 0;
      if (expectedValue !== (counter.metrics[name] ?? 0)) metrics[name] = { expected: expectedValue, live: counter.metrics[name] };
    }
    if (Object.keys(metrics).length > 0) diffs.push({ ...identityOf(counter), metrics });
  }
  for (const [id, want] of expected) {
    if (seen.has(id)) continue;
    const metrics: Record<string, MetricDifference> = {};
    for (const [name, value] of Object.entries(want.metrics)) if (value !== 0) metrics[name] = { expected: value, live: undefined };
    if (Object.keys(metrics).length > 0) diffs.push({ ...identityOf(want), metrics });
  }
  return diffs;
};

const identityOf = ({ pk, sk, tenant, day, scope, dims }: CounterIdentity): CounterIdentity => ({ pk, sk, tenant, day, scope, dims });

/** One line of the report per differing metric (an absent metric reads as 0). */
export interface CounterDifference {
  pk: string;
  sk: string;
  tenant: string;
  day: string;
  metric: string;
  expected: number;
  live: number;
}

export const differenceRows = (diffs: readonly CounterDiff[]): CounterDifference[] =>
  diffs.flatMap(({ pk, sk, tenant, day, metrics }) =>
    Object.entries(metrics).map(([metric, { expected, live }]) => ({ pk, sk, tenant, day, metric, expected, live: live ?? 0 })));

export interface ChangedCounter {
  pk: string;
  sk: string;
  tenant: string;
  day: string;
  metrics: string[];
}

export interface AuditReport {
  from: string;
  to: string;
  tenants: string[];
  scannedItems: number;
  unreadableItems: number;
  /** Live counter items read. */
  counters: number;
  expectedCounters: number;
  differences: CounterDifference[];
  /** Counters written back to their expected values. */
  repaired: number;
  /** Counters the repair refused to touch because they moved after being read. */
  changedDuringAudit: ChangedCounter[];
  /**
   * The phone index over the range's messages: (phone, SMSID) records seen (a pair whose items sit on two scan
   * pages counts twice), entries missing when read, entries restored by a repair (written, or the message
   * erased under an erasure mark), entries DynamoDB refused.
   */
  phoneIndex?: { pairs: number; missing: number; restored: number; refused: number };
  advice?: string;
}

export const RERUN_ADVICE = 'Some counters changed while the audit ran (the stream was applying records) and were left untouched: run the audit again.';

export const changedCounter = ({ pk, sk, tenant, day, metrics }: CounterDiff): ChangedCounter =>
  ({ pk, sk, tenant, day, metrics: Object.keys(metrics) });

/** Differing counters the audit left as they were (all of them without --repair). */
export const unrepairedCounters = (report: Pick<AuditReport, 'differences' | 'repaired'>): number =>
  new Set(report.differences.map((d) => counterId(d.pk, d.sk))).size - report.repaired;
