/**
 * The audit as pure functions: expected counters recomputed from stored items with the same
 * `contributionsOf` the aggregator uses, folded in one item at a time (only counters are kept, never an
 * item), then compared metric by metric with the live counter items. The repair goes through the
 * CounterRepairer port (lib/reports/ports.ts, implemented by lib/store/counter-repair.ts).
 */
import * as v from 'valibot';
import { contributionsOf } from '../aggregate/contributions';
import { COUNTER_METRICS, counterKeys, type Contribution, type Metrics } from '../table/counters';
import { TTL_ATTRIBUTE } from '../table/names';
import { dayStartMs } from '../time';
import { CounterItemSchema } from './daily';
import type { CounterDiff, CounterIdentity, MetricDifference } from './ports';

export interface ExpectedCounter extends CounterIdentity {
  metrics: Metrics;
}

/** What the scan folds into: counters and a few numbers, whatever the number of items. */
export interface ExpectedCounters {
  /** By counterId(pk, sk). */
  counters: Map<string, ExpectedCounter>;
  /**
   * `tenant\nday` of the report days one of whose eSMS heads was past its TTL when read: DynamoDB may
   * already have deleted the day's other heads, so the day's eSMS counters can no longer be recomputed.
   */
  expiredDays: Set<string>;
  /** Tenants with at least one counted item on any day (only the filtered one when filtering). */
  tenants: Set<string>;
  scannedItems: number;
  /** Items contributionsOf cannot read (the aggregator dead-letters their stream records): counted, not folded. */
  unreadableItems: number;
}

export const counterId = (pk: string, sk: string): string => `${pk}\n${sk}`;

export const emptyExpected = (tenant?: string): ExpectedCounters =>
  ({ counters: new Map(), expiredDays: new Set(), tenants: new Set(tenant === undefined ? [] : [tenant]), scannedItems: 0, unreadableItems: 0 });

export const tenantDay = (tenant: string, day: string): string => `${tenant}\n${day}`;

/**
 * Folds one stored item into the expected counters of `days` (of `tenant` only, when given); returns `state`.
 * `now` (epoch ms) tells which items are past their TTL (lib/table/names.ts TTL_ATTRIBUTE).
 */
export const addExpected = (state: ExpectedCounters, item: Record<string, unknown>, days: ReadonlySet<string>, tenant?: string, now = Date.now()): ExpectedCounters => {
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
    const expiresAt = item[TTL_ATTRIBUTE];
    if (key.scope === 'esms' && typeof expiresAt === 'number' && expiresAt * 1000 <= now) state.expiredDays.add(tenantDay(key.tenant, key.day));
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
export const expectedCounters = (items: Iterable<Record<string, unknown>>, days: ReadonlySet<string>, tenant?: string, now = Date.now()): ExpectedCounters => {
  const state = emptyExpected(tenant);
  for (const item of items) addExpected(state, item, days, tenant, now);
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
 * Whether the eSMS messages of a tenant's report day are all still stored, so its eSMS counters can be
 * recomputed from them (docs/decisions.md, issue 22): retention (`retentionDays`, undefined = kept until
 * erased) deletes a head `retentionDays` after it was first seen, so the first head of `day` may be gone from
 * `dayStartMs(day) + retentionDays` on; and a day one of whose heads was read past its TTL (its retention was
 * shorter when it was stored) is not intact either. Counters keep the figures of expired messages: the
 * audit neither compares nor repairs them. Zalo events have no TTL: their counters are always compared.
 */
export const isDayIntact = (day: string, retentionDays: number | undefined, now: number, expiredDay: boolean): boolean =>
  !expiredDay && (retentionDays === undefined || dayStartMs(day) + retentionDays * 86_400_000 > now);

/** Which counters the audit compares (all of them by default). */
export type ComparedCounter = (counter: CounterIdentity) => boolean;

/**
 * Every counter whose metrics differ from the expected ones: live counters against the expected counters
 * (a live counter with no expected one must be all zeros), then expected counters no live item has.
 * `live` must cover the same tenants and days the expected counters were folded for. Counters `compared`
 * refuses (days past retention) are left out on both sides: never reported, never repaired.
 */
export const diffCounters = (expected: ReadonlyMap<string, ExpectedCounter>, live: Iterable<LiveCounter>, compared: ComparedCounter = () => true): CounterDiff[] => {
  const diffs: CounterDiff[] = [];
  const seen = new Set<string>();
  for (const counter of live) {
    const id = counterId(counter.pk, counter.sk);
    if (!compared(counter)) {
      seen.add(id);
      continue;
    }
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
    if (seen.has(id) || !compared(want)) continue;
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
  /**
   * Tenant days whose eSMS counters were not compared (nor repaired): retention may have deleted some of
   * their messages, and counters keep the figures of expired messages (isDayIntact).
   */
  outsideRetention: Array<{ tenant: string; day: string }>;
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
