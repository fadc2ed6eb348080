/**
 * The tumbling window's state: the counter deltas of every record the window has seen, per counter item,
 * each record still with its own sequence number (so a flush is exactly as safe against redelivery as a
 * per-batch write: the counters' watermarks skip what they have applied, record by record). Kept as
 * compact JSON in Lambda's `state` (≤ 1 MB per shard): [seq, metric values in METRIC_ORDER] per record.
 */
import * as v from 'valibot';
import { USAGE_COUNTER_METRICS, type CounterKey, type Metrics } from '../table/counters';
import { padSequence } from './counter-key';
import type { CounterGroup } from './deltas';

// Appended only (a window's state written by the previous version still reads): the usage metrics last.
const METRIC_ORDER = ['requests', 'receivers', 'sent', 'success', 'failed', 'priceE4', 'events', ...USAGE_COUNTER_METRICS] as const;

const StateSchema = v.record(v.string(), v.object({
  pk: v.string(),
  sk: v.string(),
  key: v.object({ tenant: v.string(), scope: v.picklist(['esms', 'zalo', 'usage']), day: v.string(), dims: v.record(v.string(), v.string()) }),
  records: v.array(v.tuple([v.string(), v.array(v.number())])),
}));
type Stored = v.InferOutput<typeof StateSchema>;

const STATE_FIELD = 'groups';

const pack = (metrics: Metrics): number[] => {
  const unknown = Object.keys(metrics).filter((name) => !(METRIC_ORDER as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`window state cannot hold metrics ${unknown.join(', ')}`);
  return METRIC_ORDER.map((name) => metrics[name] ?? 0);
};
const unpack = (values: number[]): Metrics =>
  Object.fromEntries(METRIC_ORDER.flatMap((name, index) => (values[index] ? [[name, values[index]!]] : [])));

/** The groups the window has accumulated so far (empty for a new window). */
export const readWindow = (state: Record<string, string> | undefined): CounterGroup[] => {
  const text = state?.[STATE_FIELD];
  if (!text) return [];
  const stored = v.parse(StateSchema, JSON.parse(text));
  return Object.values(stored).map(({ pk, sk, key, records }) => ({
    pk, sk, key: key as CounterKey, records: records.map(([seq, values]) => ({ seq: padSequence(seq), metrics: unpack(values) })),
  }));
};

/** Adds a batch's groups to the window's, keeping every record (in sequence order) under its counter. */
export const mergeGroups = (window: CounterGroup[], batch: CounterGroup[]): CounterGroup[] => {
  const merged = new Map(window.map((group) => [`${group.pk}\n${group.sk}`, { ...group, records: [...group.records] }]));
  for (const group of batch) {
    const id = `${group.pk}\n${group.sk}`;
    const slot = merged.get(id);
    if (slot) {
      const seen = new Set(slot.records.map((record) => record.seq));
      slot.records.push(...group.records.filter((record) => !seen.has(record.seq)));
      slot.records.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    } else merged.set(id, { ...group, records: [...group.records] });
  }
  return [...merged.values()];
};

/** The state to hand back to Lambda, and its size (the caller flushes early before it nears 1 MB). */
export const writeWindow = (groups: CounterGroup[]): { state: Record<string, string>; bytes: number } => {
  if (groups.length === 0) return { state: {}, bytes: 0 };
  const stored: Stored = Object.fromEntries(groups.map((group) => [`${group.pk}\n${group.sk}`, {
    pk: group.pk, sk: group.sk, key: group.key, records: group.records.map((record) => [record.seq.replace(/^0+(?=\d)/, ''), pack(record.metrics)] as [string, number[]]),
  }]));
  const text = JSON.stringify(stored);
  return { state: { [STATE_FIELD]: text }, bytes: Buffer.byteLength(text, 'utf8') };
};
