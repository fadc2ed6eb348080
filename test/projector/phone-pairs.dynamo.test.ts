/**
 * Which stream records make a (phone, SMSID) pair known to the phone index, on items stored by the real
 * adapter, and that the aggregator's filter patterns in its manifest let those records through (a pattern
 * that dropped callback items would leave every batch recipient unsearchable on AWS).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { passesFilters } from '../../infra/local/stream-filter';
import { streamConsumers } from '../../infra/local/routes';
import { phonePairsOf } from '../../lib/projector/phone-pairs';
import { messagePk, OVERFLOW_SK_PREFIX } from '../../lib/table/esms';
import { callbackQuery } from '../support/callback-query';
import { headMaker, type HeadMaker } from '../support/esms-items';

const T0 = Date.parse('2026-01-01T03:00:00Z');
let maker: HeadMaker;
let single: Record<string, unknown>;
let singleLater: Record<string, unknown>;
let batchHead: Record<string, unknown>;
let batchItem: Record<string, unknown>;

beforeAll(async () => {
  maker = await headMaker();
  single = await maker.head([{ query: callbackQuery({ smsId: 'PP1', status: 7, sent: 1, phone: '0901888484' }), at: T0 }]);
  singleLater = await maker.head([{ query: callbackQuery({ smsId: 'PP1', status: 5, sent: 1, success: 1, phone: '0901888484' }), at: T0 + 5000 }]);
  batchHead = await maker.head([{ query: callbackQuery({ smsId: 'PP2', status: 5, receivers: 3, sent: 3, success: 3, phone: '0912000002' }), at: T0 + 1000 }]);
  const { Items } = await maker.doc.send(new QueryCommand({
    TableName: maker.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)', ExpressionAttributeValues: { ':pk': messagePk('default', 'PP2'), ':c': OVERFLOW_SK_PREFIX },
  }));
  batchItem = Items![0]!;
});

describe('phonePairsOf', () => {
  it('a new single-recipient head is a pair, first seen and stored when its callback was', () => {
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: undefined, newImage: single })).toEqual([
      { sequenceNumber: '7', tenant: 'default', smsId: 'PP1', phone: '84901888484', spelling: '0901888484', ds: T0, storedAt: T0 },
    ]);
  });

  it('a later callback of the same head is no new pair', () => {
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: single, newImage: singleLater })).toEqual([]);
  });

  it('a batch recipient is a pair through its callback item, not through the head (which holds no phone)', () => {
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: undefined, newImage: batchHead })).toEqual([]);
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: undefined, newImage: batchItem })).toEqual([
      { sequenceNumber: '7', tenant: 'default', smsId: 'PP2', phone: '84912000002', spelling: '0912000002', ds: T0 + 1000, storedAt: T0 + 1000 },
    ]);
  });

  it('an erased number, a removed item and a modified callback item are no pair', () => {
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: undefined, newImage: { ...batchItem, ph: 'erased' } })).toEqual([]);
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: batchItem, newImage: undefined })).toEqual([]);
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: batchItem, newImage: batchItem })).toEqual([]);
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: single, newImage: { ...singleLater, phone: 'erased' } })).toEqual([]);
  });

  it('the pair keeps the message\'s TTL', () => {
    expect(phonePairsOf({ sequenceNumber: '7', oldImage: undefined, newImage: { ...single, expiresAt: 1_800_000_000 } })[0]!.expiresAt).toBe(1_800_000_000);
  });
});

describe('the stream consumers\' filter patterns (functions/aggregator.json, functions/projector.json) as Lambda applies them', () => {
  const patternsOf = (name: string) => streamConsumers().find((consumer) => consumer.functionName === name)!.filterPatterns;
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Record<string, unknown>, old: Record<string, unknown> = item): DynamoDBRecord => ({
    eventName,
    dynamodb: eventName === 'REMOVE' ? { OldImage: marshall(item) as never } : { NewImage: marshall(item) as never, ...(eventName === 'MODIFY' && { OldImage: marshall(old) as never }) },
  });

  it('the projector gets every record that makes a pair or moves a head: callback items inserted, heads created or first naming a phone', () => {
    const patterns = patternsOf('projector');
    expect(passesFilters(patterns, record('INSERT', batchItem))).toBe(true);
    expect(passesFilters(patterns, record('INSERT', single))).toBe(true);
    const { phone: _phone, ...withoutPhone } = single;
    expect(passesFilters(patterns, record('MODIFY', single, withoutPhone))).toBe(true);
  });

  it('the projector gets a head\'s every later write (its counted state may have changed: an esms.message.updated) but no removal', () => {
    const patterns = patternsOf('projector');
    expect(passesFilters(patterns, record('MODIFY', single))).toBe(true);
    expect(passesFilters(patterns, record('REMOVE', single))).toBe(false);
  });

  it('the projector drops callback items changed or removed, and index items', () => {
    const patterns = patternsOf('projector');
    expect(passesFilters(patterns, record('REMOVE', batchItem))).toBe(false);
    expect(passesFilters(patterns, record('MODIFY', batchItem))).toBe(false);
    expect(passesFilters(patterns, record('INSERT', { pk: 'T#default#P#84901888484', sk: 'M#PP1', kind: 'esms-ph' }))).toBe(false);
  });

  it('the aggregator gets every change of a head (the counters) and of a callback item (the tenant\'s usage), and nothing of index items', () => {
    const patterns = patternsOf('aggregator');
    for (const name of ['INSERT', 'MODIFY', 'REMOVE'] as const) expect(passesFilters(patterns, record(name, single)), name).toBe(true);
    for (const name of ['INSERT', 'MODIFY', 'REMOVE'] as const) expect(passesFilters(patterns, record(name, batchItem)), name).toBe(true);
    expect(passesFilters(patterns, record('INSERT', { pk: 'T#default#P#84901888484', sk: 'M#PP1', kind: 'esms-ph' }))).toBe(false);
  });
});
