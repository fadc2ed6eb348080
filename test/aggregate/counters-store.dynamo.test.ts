/**
 * The counters adapter on DynamoDB Local: a shard's records are applied once, in sequence order, each chunk
 * in one transaction with the shard's watermark item; redelivered or overlapping records are skipped; a
 * chunk that fails leaves everything before it applied and nothing after; two retries racing on one shard
 * apply each record once; and counter items stay small and one transactional write (2 units) however many
 * shards have written to them — through a simulated month of partition splits at 10,000 callbacks/s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { coalesce, type ChangeRecord } from '../../lib/aggregate/deltas';
import { buildCountersStore } from '../../lib/store/counters';
import { shardWatermarkKey } from '../../lib/table/counters';
import { TABLE_DEFINITIONS } from '../../lib/table/names';
import { localClient } from '../../infra/local/dynamodb';
import { callbackQuery } from '../support/callback-query';
import { headMaker, type HeadMaker } from '../support/esms-items';
import { dynamoItemBytes } from '../support/item-size';
import { uniquePrefix } from '../support/stack';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const T0 = Date.parse('2026-02-01T03:00:00Z');
const client = localClient(testDynamoEndpoint());
const doc = DynamoDBDocumentClient.from(client);
const table = `${uniquePrefix()}-counters`;
const store = buildCountersStore(doc, table);

let maker: HeadMaker;
const message = (smsId: string, price: string, options: { telco?: number; typeId?: number } = {}) =>
  maker.head([{ query: callbackQuery({ smsId, status: 5, sent: 1, success: 1, price, telco: options.telco ?? 2, typeId: options.typeId ?? 2 }), at: T0 }]);
const inserted = async (seq: number, smsId: string, price: string, options?: { telco?: number; typeId?: number }): Promise<ChangeRecord> =>
  ({ sequenceNumber: String(seq), oldImage: undefined, newImage: await message(smsId, price, options) });
const esmsCounters = async () => (await store.readDay('default', '2026-02-01')).filter((item) => item.scope === 'esms');
const sumOf = async (metric: string) => (await esmsCounters()).reduce((sum, item) => sum + Number(item[metric] ?? 0), 0);
const watermarkOf = async (shardId: string) => {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: shardWatermarkKey(shardId).pk }, sk: { S: '#' } }, ConsistentRead: true }));
  return Item?.seq?.S;
};

beforeAll(async () => {
  await client.send(new CreateTableCommand({ ...(TABLE_DEFINITIONS.Counters as object), TableName: table }));
  maker = await headMaker();
});
afterAll(() => client.destroy());

describe('counters adapter: one watermark item per shard, moved in the same transaction as the counters (DynamoDB Local)', () => {
  let five: ChangeRecord[] = [];

  it('applies a shard\'s records once in one transaction, and a byte-identical redelivery changes nothing', async () => {
    five = await Promise.all([1, 2, 3, 4, 5].map((n) => inserted(n * 10, `S${n}`, `${n}00.0000`)));
    const first = await store.applyShard('shard-A', coalesce(five));
    expect(first).toMatchObject({ transactions: 1, counterWrites: 1, applied: 5, skipped: 0 });
    expect(first.failedFrom).toBeUndefined();
    const again = await store.applyShard('shard-A', coalesce(five));
    expect(again).toMatchObject({ transactions: 0, applied: 0, skipped: 5 });
    expect(await sumOf('requests')).toBe(5);
    expect(await sumOf('priceE4')).toBe(15_000_000);
    expect(await watermarkOf('shard-A')).toBe('50'.padStart(40, '0'));
  });

  it('applies only the records above the watermark when a retried batch overlaps and extends the applied one', async () => {
    const extended = [...five.slice(2), await inserted(60, 'S6', '600.0000')];
    expect(await store.applyShard('shard-A', coalesce(extended))).toMatchObject({ transactions: 1, applied: 1, skipped: 3 });
    expect(await sumOf('requests')).toBe(6);
    expect(await sumOf('priceE4')).toBe(21_000_000);
  });

  it('keeps shards independent: the same sequence numbers from another shard are new records', async () => {
    expect(await store.applyShard('shard-B', coalesce([await inserted(10, 'S7', '700.0000')]))).toMatchObject({ applied: 1 });
    expect(await sumOf('requests')).toBe(7);
  });

  it('splits more than 99 counters into several transactions in sequence order; a failed chunk leaves the rest for the retry', async () => {
    // 150 messages on 150 counters of their own (one per TypeId × telco × template would do; the template id is simplest).
    const records: ChangeRecord[] = [];
    for (let n = 0; n < 150; n += 1) {
      const head = await maker.head([{ query: callbackQuery({ smsId: `chunk-${n}`, status: 5, typeId: 25, sent: 1, success: 1, price: '1.0000', template: `tpl-${n}` }), at: T0 }]);
      records.push({ sequenceNumber: String(1000 + n), oldImage: undefined, newImage: head });
    }
    let calls = 0;
    const flaky = buildCountersStore({
      send: (command: unknown) => (++calls === 3 ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })) : doc.send(command as never)),
    } as unknown as DynamoDBDocumentClient, table);
    const failed = await flaky.applyShard('shard-C', coalesce(records));
    // Call 1 reads the watermark, call 2 commits records 1000..1098, call 3 (the second chunk) fails.
    expect(failed).toMatchObject({ transactions: 2, applied: 99 });
    expect(failed.failedFrom).toBe('1099'.padStart(40, '0'));
    expect(await watermarkOf('shard-C')).toBe('1098'.padStart(40, '0'));
    const retried = await store.applyShard('shard-C', coalesce(records));
    expect(retried).toMatchObject({ transactions: 1, applied: 51, skipped: 99 });
    const templates = (await esmsCounters()).filter((item) => String((item.dims as Record<string, string>).template).startsWith('tpl-'));
    expect(templates).toHaveLength(150);
    expect(templates.every((item) => item.requests === 1)).toBe(true);
  });

  it('two retries of one shard racing apply each record once (the later re-plans from the watermark the other moved)', async () => {
    const records = await Promise.all(Array.from({ length: 20 }, (_, n) => inserted(5000 + n, `race-${n}`, '1.0000', { telco: 1, typeId: 23 })));
    const groups = coalesce(records);
    const results = await Promise.all([store.applyShard('shard-D', groups), store.applyShard('shard-D', groups)]);
    expect(results.map((result) => result.applied).reduce((a, b) => a + b)).toBe(20);
    const viber = (await esmsCounters()).find((item) => (item.dims as Record<string, string>).channel === '23')!;
    expect(viber.requests).toBe(20);
  });

  it('keeps a counter item under 1 KB (one unit per KB, two per transactional write) through a month of partition splits at 10,000/s', async () => {
    // A table taking 10,000 writes/s splits partitions for weeks: at about one shard per 1,000 writes/s and a new
    // generation every 4 hours (splits and rollover), a month is 180 generations × 10 shards writing every counter.
    const head = await message('SM', '1.0000', { telco: 3 });
    const counterSk = coalesce([{ sequenceNumber: '1', oldImage: undefined, newImage: head }])[0]!.sk;
    const sizes: number[] = [];
    const units: number[] = [];
    for (let generation = 0; generation < 180; generation += 1) {
      const writes = await Promise.all(Array.from({ length: 10 }, (_, shard) =>
        store.applyShard(`shardId-${String(generation).padStart(10, '0')}-${shard}`, coalesce([{ sequenceNumber: String(7 + generation), oldImage: undefined, newImage: head }]))));
      for (const result of writes) {
        expect(result.applied).toBe(1);
        // Units per item of the transaction (the counter and the watermark) as the engine reports them: one per KB.
        // DynamoDB charges a transaction twice that, so each counter write costs 2 units (docs/capacity.md).
        units.push(result.consumedWcu / (result.counterWrites + 1));
      }
      if (generation % 30 === 29) sizes.push(dynamoItemBytes((await store.readDay('default', '2026-02-01')).find((counter) => counter.sk === counterSk)!));
    }
    expect((await store.readDay('default', '2026-02-01')).find((counter) => counter.sk === counterSk)!.requests).toBe(1800);
    expect(Math.max(...units)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    expect(Math.max(...sizes)).toBe(Math.min(...sizes));
  }, 240_000);
});
