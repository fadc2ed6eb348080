import { beforeAll, describe, expect, it } from 'vitest';
import { coalesce, recordDelta, sumAfter } from '../../lib/aggregate/deltas';
import { padSequence } from '../../lib/aggregate/counter-key';
import { toChange } from '../../lib/aws/stream-records';
import { marshall } from '@aws-sdk/util-dynamodb';
import { callbackQuery } from '../support/callback-query';
import { headMaker, type HeadMaker } from '../support/esms-items';

const T0 = Date.parse('2026-01-01T03:00:00Z'); // 10:00 in Vietnam
const seven = (smsId: string) => callbackQuery({ smsId, status: 7, sent: 1, price: '850.0000', telco: 1 });
const five = (smsId: string) => callbackQuery({ smsId, status: 5, sent: 1, success: 1, price: '850.0000', telco: 1 });

let maker: HeadMaker;
let pending: Record<string, unknown>;
let final: Record<string, unknown>;
beforeAll(async () => {
  maker = await headMaker();
  pending = await maker.head([{ query: seven('A1'), at: T0 }]);
  final = await maker.head([{ query: five('A1'), at: T0 + 1000 }]);
});

describe('recordDelta: contribution(new) − contribution(old)', () => {
  it('counts a new message once, under its winning status and Vietnam report day', () => {
    const delta = [...recordDelta({ oldImage: undefined, newImage: pending }).values()];
    expect(delta).toHaveLength(1);
    expect(delta[0]!.key).toEqual({ tenant: 'default', scope: 'esms', day: '2026-01-01', dims: { channel: '2', telco: 'viettel', status: '7', outcome: 'pending', oa: '-', template: '-' } });
    expect(delta[0]!.metrics).toEqual({ requests: 1, receivers: 1, sent: 1, success: 0, failed: 0, priceE4: 8_500_000 });
  });

  it('moves a message from status 7 to 5 without changing the request count overall', () => {
    const delta = [...recordDelta({ oldImage: pending, newImage: final }).values()];
    const byStatus = Object.fromEntries(delta.map((d) => [d.key.dims.status, d.metrics]));
    expect(byStatus['7']).toMatchObject({ requests: -1, sent: -1, priceE4: -8_500_000 });
    expect(byStatus['5']).toMatchObject({ requests: 1, sent: 1, success: 1, priceE4: 8_500_000 });
  });

  it('changes nothing when a late non-final callback arrives after the final one', async () => {
    const before = await maker.head([{ query: five('B1'), at: T0 }]);
    const late = await maker.head([{ query: seven('B1'), at: T0 + 5000 }]);
    expect(late).not.toEqual(before); // the late callback is stored (in the history)…
    expect(recordDelta({ oldImage: before, newImage: late }).size).toBe(0); // …and counts nothing
  });

  it('counts a batch once, with the batch totals its per-phone callbacks carry', async () => {
    const batch = (phone: string, status: number) => callbackQuery({ smsId: 'BATCH1', status, receivers: 3, sent: 3, success: status === 5 ? 2 : 0, failed: status === 5 ? 1 : 0, price: '2550.0000', telco: 1, phone });
    const head = await maker.head(['0901000001', '0901000002', '0901000003'].flatMap((phone, i) => [
      { query: batch(phone, 7), at: T0 + i * 10 },
      { query: batch(phone, 5), at: T0 + 100 + i * 10 },
    ]));
    const [delta, ...others] = [...recordDelta({ oldImage: undefined, newImage: head }).values()];
    expect(others).toHaveLength(0);
    expect(delta!.metrics).toEqual({ requests: 1, receivers: 3, sent: 3, success: 2, failed: 1, priceE4: 25_500_000 });
  });

  it('ignores items that are not counted (rejected log, followers)', () => {
    expect(recordDelta({ oldImage: undefined, newImage: { pk: 'REJ#2026-01-01', sk: 'x', kind: 'rejected' } }).size).toBe(0);
  });

  it('throws on a poison eSMS image instead of guessing', () => {
    expect(() => recordDelta({ oldImage: undefined, newImage: { ...pending, typeId: 'not-a-number' } })).toThrow();
  });
});

describe('coalesce and sumAfter', () => {
  it('makes one group per counter item, listing its records in sequence order', () => {
    const records = [
      { sequenceNumber: '3', oldImage: undefined, newImage: pending },
      { sequenceNumber: '7', oldImage: pending, newImage: final },
    ];
    const groups = coalesce(records);
    expect(groups).toHaveLength(2);
    const status7 = groups.find((g) => g.key.dims.status === '7')!;
    expect(status7.records.map((r) => r.seq)).toEqual([padSequence('3'), padSequence('7')]);
    expect(sumAfter(status7, undefined).metrics.requests).toBe(0);
    expect(sumAfter(status7, padSequence('3'))).toMatchObject({ count: 1, metrics: { requests: -1 } });
    expect(sumAfter(status7, padSequence('7')).count).toBe(0);
  });

  it('pads sequence numbers so string order is numeric order', () => {
    expect(padSequence('9') < padSequence('10')).toBe(true);
    expect(padSequence('000000000000000000010')).toBe(padSequence('10'));
  });
});

describe('stream records → changes', () => {
  const base = () => ({ eventID: '1', eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: '9', OldImage: marshall(final) as never } });

  it('a TTL expiry (REMOVE by the DynamoDB service) changes no counter', () => {
    const change = toChange({ ...base(), eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });
    expect(recordDelta(change).size).toBe(0);
  });

  it('a deletion by a user subtracts the message from the counters', () => {
    const change = toChange({ ...base(), eventName: 'REMOVE' });
    const [delta] = [...recordDelta(change).values()];
    expect(delta!.metrics).toMatchObject({ requests: -1, success: -1 });
  });
});
