/**
 * A pair DynamoDB refuses as invalid (here a sort key past its 1,024 bytes) would fail the same way on every
 * retry: the projector dead-letters that record and carries on, so one bad record never blocks a shard's
 * heads or the other pairs' index entries. Real projector, head and phone index adapters on DynamoDB Local.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../lib/aggregate/ports';
import { toChange } from '../../lib/aws/stream-records';
import { buildMessageEraser } from '../../lib/store/esms-erasure';
import { erasedPhone } from '../../lib/esms/erasure';
import { buildHeadProjection } from '../../lib/store/esms-heads';
import { buildPhoneIndexWriter } from '../../lib/store/esms-phone-index';
import { buildProjector } from '../../lib/projector/projector';
import { headKey, messagePk, OVERFLOW_SK_PREFIX, phoneIndexKey } from '../../lib/table/esms';
import { callbackQuery } from '../support/callback-query';
import { headMaker } from '../support/esms-items';

const noop = () => undefined;

describe('a phone index entry DynamoDB refuses', () => {
  it('dead-letters its record and indexes the others; the invocation succeeds and the head is moved', async () => {
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
    const project = buildProjector({
      heads: buildHeadProjection(maker.doc, maker.table),
      deadLetters: { add: async (letter) => void letters.push(letter) },
      phoneIndex: buildPhoneIndexWriter(maker.doc, maker.table, buildMessageEraser(maker.doc, maker.table, erasedPhone)),
      telemetry: { count: noop },
      log: { debug: noop, info: noop, warn: noop, error: noop },
      now: Date.now,
      toChange,
    });
    const answer = await project({ Records: [record('100', head), record('101', bad), record('102', good)] });
    expect(answer.batchItemFailures).toEqual([]);
    expect(letters.map((letter) => [letter.sequenceNumber, letter.reason.startsWith('phone index: ')])).toEqual([['101', true]]);
    const moved = await maker.doc.send(new GetCommand({ TableName: maker.table, Key: headKey('default', 'REF1'), ConsistentRead: true }));
    expect(moved.Item?.owr).toBeDefined();
    const indexed = await maker.doc.send(new GetCommand({ TableName: maker.table, Key: phoneIndexKey('default', '84912000301', 'REF1') }));
    expect(indexed.Item?.sp).toBe('0912000301');
    maker.doc.destroy();
  });
});
