/**
 * Reports by outcome (issue 23): a message's outcome is a counter dimension, so a callback that changes it
 * moves the message's counts from one outcome's counter to the other's (never counted twice), and one that
 * leaves it unchanged moves nothing. Heads are raw stored items as the stream hands them.
 */
import { describe, expect, it } from 'vitest';
import { recordDelta } from '../../lib/aggregate/deltas';
import { readQuery } from '../../lib/esms/query';
import { buildDailyReport } from '../../lib/reports/daily';
import { esmsFixture } from '../support/fixtures';

const T0 = Date.parse('2026-06-01T03:00:00Z');

/** A head holding `callbacks` inline (as the callback path writes a single-recipient message). */
const head = (callbacks: Array<{ query: string; at: number }>, extra: Record<string, unknown> = {}): Record<string, unknown> => {
  const first = readQuery(callbacks[0]!.query);
  const get = (query: ReturnType<typeof readQuery>, key: string) => query.get(key.toLowerCase())?.value ?? '';
  const smsId = get(first, 'SMSID');
  const item: Record<string, unknown> = {
    pk: `T#default#M#${smsId}`, sk: '#', kind: 'esms', tenant: 'default', smsId, typeId: Number(get(first, 'TypeId')), route: 'zns',
    firstSeen: callbacks[0]!.at, lastSeen: callbacks.at(-1)!.at, ...extra,
  };
  callbacks.forEach(({ query, at }, index) => {
    const q = readQuery(query);
    const n = (key: string) => Number(get(q, key));
    item[`c#${index}`] = {
      s: n('SendStatus'), t: n('TypeId'), n: [n('TotalReceiver'), n('TotalSent'), n('SendSuccess'), n('SendFailed')],
      p: Math.round(Number(get(q, 'TotalPrice')) * 10_000), at, rt: 'zns', q: query,
    };
  });
  return item;
};

const failedZns = esmsFixture('zns-114-json-string'); // SendStatus 5, SendFailed 1, error -114
const deliveredZns = esmsFixture('zns-delivered-with-time'); // SendStatus 5, SendSuccess 1, error 0
/** The same message's earlier non-final callback (7: sent to the telco / Zalo). */
const pendingOf = (query: string) => query.replace('SendStatus=5', 'SendStatus=7').replace(/SendSuccess=\d/, 'SendSuccess=0').replace(/SendFailed=\d/, 'SendFailed=0');

const byOutcome = (delta: ReturnType<typeof recordDelta>) =>
  Object.fromEntries([...delta.values()].map(({ key, metrics }) => [key.dims.outcome, metrics.requests]));

describe('outcome counters: contribution(new) − contribution(old)', () => {
  it('counts a new message under its outcome (a non-final status is pending)', () => {
    expect(byOutcome(recordDelta({ oldImage: undefined, newImage: head([{ query: pendingOf(failedZns), at: T0 }]) }))).toEqual({ pending: 1 });
  });

  it('moves a message from pending to failed when its final callback carries an error code (-114), not counting it twice', () => {
    const pending = head([{ query: pendingOf(failedZns), at: T0 }]);
    const failed = head([{ query: pendingOf(failedZns), at: T0 }, { query: failedZns, at: T0 + 1000 }]);
    expect(byOutcome(recordDelta({ oldImage: pending, newImage: failed }))).toEqual({ pending: -1, failed: 1 });
  });

  it('moves a message from pending to delivered when its final callback reports success', () => {
    const pending = head([{ query: pendingOf(deliveredZns), at: T0 }]);
    const delivered = head([{ query: pendingOf(deliveredZns), at: T0 }, { query: deliveredZns, at: T0 + 1000 }]);
    expect(byOutcome(recordDelta({ oldImage: pending, newImage: delivered }))).toEqual({ pending: -1, delivered: 1 });
  });

  it('moves a message from pending to expired when the late sweep marks it', () => {
    const pending = head([{ query: pendingOf(deliveredZns), at: T0 }]);
    expect(byOutcome(recordDelta({ oldImage: pending, newImage: { ...pending, x: T0 + 73 * 3600_000 } }))).toEqual({ pending: -1, expired: 1 });
  });

  it('moves nothing when a late non-final callback arrives after the final one (the outcome stays failed)', () => {
    const failed = head([{ query: failedZns, at: T0 }]);
    const late = head([{ query: failedZns, at: T0 }, { query: pendingOf(failedZns), at: T0 + 5000 }]);
    expect(recordDelta({ oldImage: failed, newImage: late }).size).toBe(0);
  });

  it('a report by=outcome sums the moved counts: one message, one row, under its latest outcome', () => {
    const images = [
      head([{ query: pendingOf(failedZns), at: T0 }]),
      head([{ query: pendingOf(failedZns), at: T0 }, { query: failedZns, at: T0 + 1000 }]),
      head([{ query: pendingOf(deliveredZns), at: T0 }]),
    ];
    const counters = new Map<string, Record<string, unknown>>();
    const apply = (oldImage: Record<string, unknown> | undefined, newImage: Record<string, unknown>) => {
      for (const [id, { key, metrics }] of recordDelta({ oldImage, newImage })) {
        const item = counters.get(id) ?? { scope: key.scope, day: key.day, dims: key.dims };
        for (const [name, value] of Object.entries(metrics)) item[name] = ((item[name] as number | undefined) ?? 0) + value;
        counters.set(id, item);
      }
    };
    apply(undefined, images[0]!);
    apply(images[0], images[1]!);
    apply(undefined, images[2]!);
    const rows = buildDailyReport([...counters.values()], 'outcome').rows;
    expect(rows.map(({ day, group, requests, failed, success }) => ({ day, group, requests, failed, success }))).toEqual([
      { day: '2026-06-01', group: 'failed', requests: 1, failed: 1, success: 0 },
      { day: '2026-06-01', group: 'pending', requests: 1, failed: 0, success: 0 },
    ]);
  });
});
