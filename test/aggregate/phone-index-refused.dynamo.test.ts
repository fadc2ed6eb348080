/**
 * A pair DynamoDB refuses as invalid (here a sort key past its 1,024 bytes) would fail the same way on every
 * retry: the aggregator dead-letters that record and carries on, so one bad record never blocks a shard's
 * counters or the other pairs' index entries. Real aggregator and phone index adapter on DynamoDB Local.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildAggregator } from '../../lib/aggregate/aggregator';
import type { DeadLetter } from '../../lib/aggregate/ports';
import { toChange } from '../../lib/aws/stream-records';
import { buildMessageEraser } from '../../lib/store/esms-erasure';
import { buildPhoneIndexWriter } from '../../lib/store/esms-phone-index';
import { messagePk, OVERFLOW_SK_PREFIX, phoneIndexKey } from '../../lib/table/esms';
import { callbackQuery } from '../support/callback-query';
import { headMaker } from '../support/esms-items';

const noop = () => undefined;

describe('a phone index entry DynamoDB refuses', () => {
  it('dead-letters its record and indexes the others; the invocation succeeds and the counters are applied', async () => {
    const maker = await headMaker();
    const head = await maker.head([{ query: callbackQuery({ smsId: 'REF1', status: 5, receivers: 2, sent: 2, success: 2, phone: '0912000301' }), at: Date.now() }]);
    const { Items } = await maker.doc.send(new QueryCommand({
      TableName: maker.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)', ExpressionAttributeValues: { ':pk': messagePk('default', 'REF1'), ':c': OVERFLOW_SK_PREFIX },
    }));
    const good = Items![0]!;
    const bad = { ...good, smsId: 'X'.repeat(1100), ph: '0912000302' };
    const record = (seq: string, image: Record<string, unknown>): DynamoDBRecord => ({
      eventName: 'INSERT', dynamodb: { SequenceNumber: seq, NewImage: marshall(image) as never, ApproximateCreationDateTime: Math.floor(Date.now() / 1000) },
    });
    const letters: DeadLetter[] = [];
    const applied: string[] = [];
    const aggregate = buildAggregator({
      counters: { applyGroup: async (_shard, group) => (applied.push(group.sk), { writes: 1, applied: group.records.length, skipped: 0, consumedWcu: 1 }) },
      deadLetters: { add: async (letter) => void letters.push(letter) },
      phoneIndex: buildPhoneIndexWriter(maker.doc, maker.table, buildMessageEraser(maker.doc, maker.table)),
      telemetry: { count: noop, gauge: noop },
      log: { debug: noop, info: noop, warn: noop, error: noop },
      now: Date.now,
      toChange,
    });
    const answer = await aggregate({ shardId: 'shard-ref', Records: [record('100', head), record('101', bad), record('102', good)] });
    expect(answer.batchItemFailures).toEqual([]);
    expect(letters.map((letter) => [letter.sequenceNumber, letter.reason.startsWith('phone index: ')])).toEqual([['101', true]]);
    expect(applied.length).toBeGreaterThan(0);
    const indexed = await maker.doc.send(new GetCommand({ TableName: maker.table, Key: phoneIndexKey('default', '84912000301', 'REF1') }));
    expect(indexed.Item?.sp).toBe('0912000301');
    maker.doc.destroy();
  });
});
