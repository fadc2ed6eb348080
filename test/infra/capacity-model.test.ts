/** The capacity model's arithmetic (infra/tools/capacity-model.ts) on recorded requests of known shape. */
import { describe, expect, it } from 'vitest';
import { concurrency, counterLag, keyKind, plan } from '../../infra/tools/capacity-model';
import type { RecordedRequest } from '../../infra/local/throttle-proxy';

const write = (key: string, units = 1, op = 'PutItem', index?: string): RecordedRequest =>
  ({ op, at: 0, throttled: false, charges: [{ table: 'local-messages', key, units, kind: 'write', ...(index && { index }) }] });

describe('capacity model', () => {
  it('projects each key\'s units per callback to the target rate, and flags a key over 1,000 WCU/s', () => {
    // 100 callbacks: 10 hit the head (1 unit each), the 90 others spread over 3 shard keys.
    const recorded = [
      ...Array.from({ length: 10 }, () => write('T#a#M#S1')),
      ...Array.from({ length: 90 }, (_, i) => write(`T#a#MB#4.${i % 3}#S1`)),
    ];
    const at = (rate: number) => plan([{ name: 'batch', callbacks: 100, rate, recorded }]);
    expect(at(10_000).hottestWrite).toMatchObject({ key: 'T#a#MB#4.0#S1', wcu: 3_000 });
    expect(at(10_000).overLimit.map((load) => load.key).sort()).toEqual(['T#a#MB#4.0#S1', 'T#a#MB#4.1#S1', 'T#a#MB#4.2#S1']);
    expect(at(1_000).overLimit).toEqual([]);
    expect(at(1_000).spaces.find((space) => space.kind === 'MB')).toMatchObject({ keys: 3, peakWcu: 300, totalWcu: 900 });
    expect(at(1_000).tableWcu.messages).toBe(1_000);
    expect(at(1_000).wcuPerCallback).toBe(1);
  });

  it('a transaction\'s items cost twice, index writes count against the index, and phases add up on a shared key', () => {
    const day = write('T#a#D#2026-12-06#3', 1, 'PutItem', 'byDay');
    const result = plan([
      { name: 'steady', callbacks: 10, rate: 100, recorded: [day, write('T#a#CNT#2026-12-06#0', 1, 'TransactWriteItems')] },
      { name: 'batch', callbacks: 10, rate: 200, recorded: [day] },
    ]);
    expect(result.keys.find((load) => load.space === 'messages/byDay')?.wcu).toBe(10 + 20);
    expect(result.keys.find((load) => load.kind === 'CNT')?.wcu).toBe(20);
    expect(result.wcuPerCallback).toBeCloseTo(4 / 20);
  });

  it('names key kinds by the segment after the tenant, or by their own prefix', () => {
    expect(['T#acme#MB#8.3#S1', 'T#acme#M#S1', 'WM#shard-1', 'T#x#CNT#2026-12-06#2', 'plain'].map(keyKind)).toEqual(['MB', 'M', 'WM', 'CNT', 'other']);
  });

  it('concurrency is rate × duration, and the counters\' lag is the window plus the backlog over the consumers', () => {
    expect(concurrency(20_000, 20)).toBe(400);
    expect(counterLag({ records: 100_000, streamShards: 20, parallelization: 10, recordsPerSecondPerConsumer: 500, windowSeconds: 60 })).toBe(61);
  });
});
