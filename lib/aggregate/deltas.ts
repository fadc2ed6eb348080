/**
 * The aggregator as a pure function: a shard's ordered stream records → one coalesced group per counter
 * item, each listing its contributing records with their sequence numbers (so the adapter can skip the
 * ones a counter has already applied when a batch is redelivered).
 */
import { counterKeys, type Contribution, type CounterKey, type Metrics } from '../table/counters';
import { padSequence } from './counter-key';
import type { ChangeRecord, CounterGroup } from './ports';

export type { ChangeRecord, CounterGroup, RecordDelta } from './ports';
import { contributionsOf } from './contributions';
import { usageContributionsOf } from './usage-contributions';

const addInto = (target: Map<string, { key: CounterKey; metrics: Metrics }>, contributions: Contribution[], sign: 1 | -1) => {
  for (const { key, metrics } of contributions) {
    const { pk, sk } = counterKeys(key);
    const id = `${pk}\n${sk}`;
    const slot = target.get(id) ?? { key, metrics: {} };
    for (const [name, value] of Object.entries(metrics)) slot.metrics[name] = (slot.metrics[name] ?? 0) + sign * value;
    target.set(id, slot);
  }
};

type Contributions = (item: Record<string, unknown> | undefined) => Contribution[];

const deltaOf = (record: Pick<ChangeRecord, 'oldImage' | 'newImage'>, of: Contributions): Map<string, { key: CounterKey; metrics: Metrics }> => {
  const delta = new Map<string, { key: CounterKey; metrics: Metrics }>();
  addInto(delta, of(record.newImage), 1);
  addInto(delta, of(record.oldImage), -1);
  for (const [id, slot] of delta) if (Object.values(slot.metrics).every((value) => value === 0)) delta.delete(id);
  return delta;
};

/** contribution(new) − contribution(old) per report counter item, dropping counters the record leaves unchanged. */
export const recordDelta = (record: Pick<ChangeRecord, 'oldImage' | 'newImage'>) => deltaOf(record, contributionsOf);

/** The same, with the tenant's usage counter (lib/aggregate/usage-contributions.ts): what the aggregator applies. */
export const counterDelta = (record: Pick<ChangeRecord, 'oldImage' | 'newImage'>) =>
  deltaOf(record, (item) => [...contributionsOf(item), ...usageContributionsOf(item)]);

export type RecordDeltas = ReturnType<typeof recordDelta>;

/** Groups already-computed deltas (one map per stream record) per counter item, records in sequence order. */
export const coalesceDeltas = (deltas: Array<{ sequenceNumber: string; delta: RecordDeltas }>): CounterGroup[] => {
  const groups = new Map<string, CounterGroup>();
  for (const { sequenceNumber, delta } of deltas) {
    const seq = padSequence(sequenceNumber);
    for (const [id, { key, metrics }] of delta) {
      const [pk, sk] = id.split('\n') as [string, string];
      const group = groups.get(id) ?? { pk, sk, key, records: [] };
      group.records.push({ seq, metrics });
      groups.set(id, group);
    }
  }
  for (const group of groups.values()) group.records.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return [...groups.values()];
};

export const coalesce = (records: ChangeRecord[]): CounterGroup[] =>
  coalesceDeltas(records.map((record) => ({ sequenceNumber: record.sequenceNumber, delta: recordDelta(record) })));

/** Sum of the deltas of the group's records whose sequence number is above `after` (all when undefined). */
export const sumAfter = (group: CounterGroup, after: string | undefined): { metrics: Metrics; count: number; maxSeq: string | undefined; minSeq: string | undefined } => {
  const metrics: Metrics = {};
  let count = 0;
  let minSeq: string | undefined;
  let maxSeq: string | undefined;
  for (const record of group.records) {
    if (after !== undefined && record.seq <= after) continue;
    count += 1;
    minSeq ??= record.seq;
    maxSeq = record.seq;
    for (const [name, value] of Object.entries(record.metrics)) metrics[name] = (metrics[name] ?? 0) + value;
  }
  return { metrics, count, maxSeq, minSeq };
};
