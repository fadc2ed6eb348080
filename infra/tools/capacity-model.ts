/**
 * The capacity model of docs/capacity.md: from the DynamoDB requests the shipped code really sent for a
 * sample of each workload (recorded by the per-key proxy, infra/local/throttle-proxy.ts), the units each
 * partition key value, table and index needs at a target rate. Units per key are scaled linearly with the
 * callback rate: exact for the callback path (one request per callback), an upper bound for the stream
 * consumers (on AWS they batch more records per invocation than the local poller, so write a head or a
 * counter less often per callback).
 */
import type { Charge, RecordedRequest } from '../local/throttle-proxy';

export const KEY_WCU_LIMIT = 1000;
export const KEY_RCU_LIMIT = 3000;

/** One workload measured on the local stack, and the rate to project it to. */
export interface Phase {
  name: string;
  /** Callbacks sent while recording (duplicates included). */
  callbacks: number;
  /** Target callbacks per second. */
  rate: number;
  recorded: RecordedRequest[];
}

export interface KeyLoad { space: string; kind: string; key: string; wcu: number; rcu: number }

export interface SpaceLoad { space: string; kind: string; keys: number; peakWcu: number; peakRcu: number; totalWcu: number; totalRcu: number }

export interface Plan {
  keys: KeyLoad[];
  /** Per table/index and key kind: how many keys, the hottest one, the sum. */
  spaces: SpaceLoad[];
  tableWcu: Record<string, number>;
  tableRcu: Record<string, number>;
  hottestWrite: KeyLoad | undefined;
  hottestRead: KeyLoad | undefined;
  overLimit: KeyLoad[];
  /** Write units per callback over all phases (table + indexes), duplicates included. */
  wcuPerCallback: number;
}

/** The kind of a key: the segment after the tenant (`M`, `MB`, `CNT`, `D`, …), or the prefix before `#`. */
export const keyKind = (key: string): string => /^T#[^#]*#([A-Z]+)#/.exec(key)?.[1] ?? /^([A-Z]+)#/.exec(key)?.[1] ?? 'other';

const spaceOf = (charge: Charge): string => {
  const table = charge.table.replace(/^.*-(\w+)$/, '$1');
  return charge.index ? `${table}/${charge.index}` : table;
};

export const plan = (phases: Phase[]): Plan => {
  const loads = new Map<string, KeyLoad>();
  let wcu = 0;
  let callbacks = 0;
  for (const phase of phases) {
    callbacks += phase.callbacks;
    const perCallback = phase.rate / Math.max(1, phase.callbacks);
    for (const request of phase.recorded) {
      for (const charge of request.charges) {
        const space = spaceOf(charge);
        const id = `${space}\n${charge.key}`;
        const load = loads.get(id) ?? { space, kind: keyKind(charge.key), key: charge.key, wcu: 0, rcu: 0 };
        // A transaction costs twice its items' units, as DynamoDB bills it.
        const units = charge.units * (request.op === 'TransactWriteItems' ? 2 : 1);
        if (charge.kind === 'write') {
          load.wcu += units * perCallback;
          wcu += units;
        } else load.rcu += units * perCallback;
        loads.set(id, load);
      }
    }
  }
  const keys = [...loads.values()];
  const spaces = new Map<string, SpaceLoad>();
  const tableWcu: Record<string, number> = {};
  const tableRcu: Record<string, number> = {};
  for (const load of keys) {
    const id = `${load.space} ${load.kind}`;
    const space = spaces.get(id) ?? { space: load.space, kind: load.kind, keys: 0, peakWcu: 0, peakRcu: 0, totalWcu: 0, totalRcu: 0 };
    space.keys += 1;
    space.peakWcu = Math.max(space.peakWcu, load.wcu);
    space.peakRcu = Math.max(space.peakRcu, load.rcu);
    space.totalWcu += load.wcu;
    space.totalRcu += load.rcu;
    spaces.set(id, space);
    tableWcu[load.space] = (tableWcu[load.space] ?? 0) + load.wcu;
    tableRcu[load.space] = (tableRcu[load.space] ?? 0) + load.rcu;
  }
  const hottest = (by: 'wcu' | 'rcu') => keys.reduce<KeyLoad | undefined>((top, load) => (!top || load[by] > top[by] ? load : top), undefined);
  return {
    keys,
    spaces: [...spaces.values()].sort((a, b) => b.peakWcu - a.peakWcu),
    tableWcu,
    tableRcu,
    hottestWrite: hottest('wcu'),
    hottestRead: hottest('rcu'),
    overLimit: keys.filter((load) => load.wcu > KEY_WCU_LIMIT || load.rcu > KEY_RCU_LIMIT),
    wcuPerCallback: wcu / Math.max(1, callbacks),
  };
};

/** Lambda concurrency a function needs at a rate and a measured duration (Little's law). */
export const concurrency = (perSecond: number, durationMs: number): number => Math.ceil((perSecond * durationMs) / 1000);

/**
 * Seconds from a batch's last callback to its counters: the aggregator's window, plus the time the stream
 * shards carrying the batch need to work off its records (each shard's records split over the mapping's
 * parallelization factor).
 */
export const counterLag = (o: { records: number; streamShards: number; parallelization: number; recordsPerSecondPerConsumer: number; windowSeconds: number }): number =>
  o.windowSeconds + o.records / (o.streamShards * o.parallelization * o.recordsPerSecondPerConsumer);
