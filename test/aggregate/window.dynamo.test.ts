/**
 * Counters written once per tumbling window, not once per batch: the window's state carries every record's
 * delta (with its sequence number) to the final invocation, which writes each counter item once; a retried
 * final invocation changes nothing it already wrote; a state nearing Lambda's 1 MB limit is flushed early.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { buildAggregator, STATE_FLUSH_BYTES, type StreamWindowEvent } from '../../lib/aggregate/aggregator';
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

const T0 = Date.parse('2026-04-01T03:00:00Z');
const endpoint = testDynamoEndpoint();
const doc = documentClient(endpoint);
const table = `${uniquePrefix()}-counters`;
const counters = buildCountersStore(doc, table);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const window = { start: '2026-04-01T03:00:00Z', end: '2026-04-01T03:01:00Z' };

let heads: Array<Record<string, unknown>> = [];
let seq = 1000;
const insert = (head: Record<string, unknown>): DynamoDBRecord => ({
  eventID: String(seq), eventName: 'INSERT', eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: String(seq++), ApproximateCreationDateTime: T0 / 1000, NewImage: marshall(head) as never },
});

beforeAll(async () => {
  await localClient(endpoint).send(new CreateTableCommand({ ...(TABLE_DEFINITIONS.Counters as object), TableName: table }));
  const maker = await headMaker();
  heads = await Promise.all([2, 23, 25].map((typeId, i) =>
    maker.head([{ query: callbackQuery({ smsId: `win-${i}`, status: 5, typeId, sent: 1, success: 1, price: '100.0000', telco: 1 }), at: T0 }])));
});

/** The real counters store, counting the counter item writes it makes. */
const counting = (): CounterWriter & { writes: number } => {
  const writer = {
    writes: 0,
    async applyShard(shardId: string, groups: Parameters<CounterWriter['applyShard']>[1]) {
      const result = await counters.applyShard(shardId, groups);
      writer.writes += result.counterWrites;
      return result;
    },
  };
  return writer;
};
const aggregatorWith = (writer: CounterWriter) => buildAggregator({
  toChange, counters: writer, deadLetters: buildDeadLetterStore(doc, table),
  telemetry: { count: () => undefined, gauge: () => undefined }, log: silent, now: () => T0,
});
const requests = async () => Object.fromEntries((await counters.readDay('default', '2026-04-01'))
  .map((item) => [(item.dims as Record<string, string>).channel, item.requests]));

describe('tumbling-window aggregation', () => {
  it('writes nothing until the window\'s final invocation, then each counter item once', async () => {
    const writer = counting();
    const aggregate = aggregatorWith(writer);
    let state: Record<string, string> = {};
    // 10 batches of 30 records (100 messages per channel) in one window.
    for (let batch = 0; batch < 10; batch += 1) {
      const records = Array.from({ length: 30 }, (_, i) => insert(heads[i % 3]!));
      const answer = await aggregate({ Records: records, shardId: 'shard-w', window, state, isFinalInvokeForWindow: false } as StreamWindowEvent);
      expect(answer.batchItemFailures).toEqual([]);
      state = answer.state;
    }
    expect(writer.writes).toBe(0);
    const final = await aggregate({ Records: [], shardId: 'shard-w', window, state, isFinalInvokeForWindow: true } as StreamWindowEvent);
    expect(final.state).toEqual({});
    expect(writer.writes).toBe(4); // the three channels' report counters and the tenant's usage counter of the day
    expect(await requests()).toEqual({ 2: 100, 23: 100, 25: 100 });
    expect(writer.writes / 300).toBeLessThanOrEqual(0.1);

    // Lambda retries a final invocation (say its answer was lost) with the same state: nothing moves.
    await aggregate({ Records: [], shardId: 'shard-w', window, state, isFinalInvokeForWindow: true } as StreamWindowEvent);
    expect(await requests()).toEqual({ 2: 100, 23: 100, 25: 100 });
  });

  it('a final invocation that fails part-way is retried with the same state and completes exactly once', async () => {
    const records = Array.from({ length: 9 }, (_, i) => insert(heads[i % 3]!));
    const first = await aggregatorWith(counters)({ Records: records, shardId: 'shard-w2', window, state: {}, isFinalInvokeForWindow: false } as StreamWindowEvent);
    // The flush fails part-way: the first record's counters are written, the rest are not.
    const flaky: CounterWriter = {
      applyShard: async (shard, groups) => {
        const firstOnly = groups.map((group) => ({ ...group, records: group.records.filter((record) => record.seq === groups[0]!.records[0]!.seq) }));
        const partial = await counters.applyShard(shard, firstOnly);
        return { ...partial, failedFrom: groups.flatMap((group) => group.records.map((record) => record.seq)).sort().find((seq) => seq > groups[0]!.records[0]!.seq), error: new Error('throttled') };
      },
    };
    await expect(aggregatorWith(flaky)({ Records: [], shardId: 'shard-w2', window, state: first.state, isFinalInvokeForWindow: true } as StreamWindowEvent)).rejects.toThrow(/counters failed from record/);
    await aggregatorWith(counters)({ Records: [], shardId: 'shard-w2', window, state: first.state, isFinalInvokeForWindow: true } as StreamWindowEvent);
    expect(await requests()).toEqual({ 2: 103, 23: 103, 25: 103 });
  });

  it('flushes early, before the state nears Lambda\'s 1 MB limit, and hands back an empty state', async () => {
    const writer = counting();
    const records = Array.from({ length: 24_000 }, (_, i) => insert(heads[i % 3]!));
    const answer = await aggregatorWith(writer)({ Records: records, shardId: 'shard-w3', window, state: {}, isFinalInvokeForWindow: false } as StreamWindowEvent);
    expect(STATE_FLUSH_BYTES).toBeLessThan(1_000_000);
    expect(answer.state).toEqual({});
    expect(writer.writes).toBe(4); // three report counters and the usage counter
    expect(await requests()).toEqual({ 2: 8103, 23: 8103, 25: 8103 });
  }, 60_000);
});
