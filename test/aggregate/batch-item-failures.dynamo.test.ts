/**
 * The aggregator's own partial-failure answer (not the poller's): when the counters cannot be written from
 * some record on, it reports that record; everything before it stays applied, nothing from it on is, and
 * Lambda's retry from that record completes the counters exactly once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { buildAggregator } from '../../lib/aggregate/aggregator';
import type { CounterWriter } from '../../lib/aggregate/ports';
import { toChange } from '../../lib/aws/stream-records';
import { buildCountersStore } from '../../lib/store/counters';
import { buildDeadLetterStore } from '../../lib/store/dead-letters';
import { TABLE_DEFINITIONS } from '../../lib/table/names';
import { localClient } from '../../infra/local/dynamodb';
import { callbackQuery } from '../support/callback-query';
import { headMaker } from '../support/esms-items';
import { documentClient, uniquePrefix } from '../support/stack';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const T0 = Date.parse('2026-03-01T03:00:00Z');
const endpoint = testDynamoEndpoint();
const doc = documentClient(endpoint);
const table = `${uniquePrefix()}-counters`;
const counters = buildCountersStore(doc, table);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let records: DynamoDBRecord[] = [];
beforeAll(async () => {
  await localClient(endpoint).send(new CreateTableCommand({ ...(TABLE_DEFINITIONS.Counters as object), TableName: table }));
  const maker = await headMaker();
  // Three messages on three channels (three counter groups), sequence numbers 100, 200, 300.
  const heads = await Promise.all([[2, 'A'], [23, 'B'], [25, 'C']].map(([typeId, id]) =>
    maker.head([{ query: callbackQuery({ smsId: `bif-${id}`, status: 5, typeId: Number(typeId), sent: 1, success: 1, price: '100.0000', telco: 1 }), at: T0 }])));
  records = heads.map((head, index) => ({
    eventID: String(index), eventName: 'INSERT', eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: String((index + 1) * 100), ApproximateCreationDateTime: T0 / 1000, NewImage: marshall(head) as never },
  }));
});

const aggregatorWith = (writer: CounterWriter) => buildAggregator({
  toChange, counters: writer, deadLetters: buildDeadLetterStore(doc, table),
  telemetry: { count: () => undefined, gauge: () => undefined }, log: silent, now: () => T0,
});

const requestsByChannel = async () => Object.fromEntries((await counters.readDay('default', '2026-03-01'))
  .map((item) => [(item.dims as Record<string, string>).channel, item.requests]));

describe('aggregator batchItemFailures', () => {
  it('names the first record it could not apply, keeps the ones before it, and a retry from there completes exactly once', async () => {
    // The real adapter over a client whose first transaction is throttled: the three records fit one
    // transaction, so none of them is applied and the first is named.
    let transactions = 0;
    const throttledOnce = { send: (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'TransactWriteCommand' && ++transactions === 1) {
        return Promise.reject(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
      }
      return doc.send(command as never);
    } };
    const failing: CounterWriter = buildCountersStore(throttledOnce as unknown as typeof doc, table);
    const first = await aggregatorWith(failing)({ Records: records, shardId: 'shard-1' });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
    expect(await requestsByChannel()).toEqual({});
    // Lambda re-delivers from sequence 100: all three are applied once.
    const retry = await aggregatorWith(counters)({ Records: records, shardId: 'shard-1' });
    expect(retry.batchItemFailures).toEqual([]);
    expect(await requestsByChannel()).toEqual({ 2: 1, 23: 1, 25: 1 });
  });

  it('a redelivery that starts inside the applied records applies only the ones above the watermark', async () => {
    const next = { ...records[2]!, dynamodb: { ...records[2]!.dynamodb, SequenceNumber: '400' } };
    const retry = await aggregatorWith(counters)({ Records: [records[1]!, records[2]!, next], shardId: 'shard-1' });
    expect(retry.batchItemFailures).toEqual([]);
    // Record 400 repeats record 300's image as a new record: its message counts again (a second INSERT of it).
    expect(await requestsByChannel()).toEqual({ 2: 1, 23: 1, 25: 2 });
  });

  it('reports no failure and changes nothing when the whole batch is delivered again', async () => {
    const again = await aggregatorWith(counters)({ Records: records, shardId: 'shard-1' });
    expect(again.batchItemFailures).toEqual([]);
    expect(await requestsByChannel()).toEqual({ 2: 1, 23: 1, 25: 2 });
  });
});
