import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { coalesce, type ChangeRecord } from '../../lib/aggregate/deltas';
import { buildCountersStore } from '../../lib/store/counters';
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

// Five new messages on one counter item, with stream sequence numbers 10..50.
let records: ChangeRecord[] = [];
let maker: HeadMaker;
const message = (smsId: string, price: string) =>
  maker.head([{ query: callbackQuery({ smsId, status: 5, sent: 1, success: 1, price, telco: 2 }), at: T0 }]);
const totalOf = async () => (await store.readDay('default', '2026-02-01')).find((item) => item.scope === 'esms')!;

beforeAll(async () => {
  await client.send(new CreateTableCommand({ ...(TABLE_DEFINITIONS.Counters as object), TableName: table }));
  maker = await headMaker();
  records = await Promise.all([1, 2, 3, 4, 5].map(async (n) => ({ sequenceNumber: String(n * 10), oldImage: undefined, newImage: await message(`S${n}`, `${n}00.0000`) })));
});
afterAll(() => client.destroy());

describe('counters adapter: per-shard watermarks make redelivery harmless (DynamoDB Local)', () => {
  it('applies a group once with one write, and a byte-identical redelivery changes nothing', async () => {
    const [group] = coalesce(records);
    const first = await store.applyGroup('shard-A', group!);
    expect(first).toMatchObject({ writes: 1, applied: 5, skipped: 0 });
    const again = await store.applyGroup('shard-A', group!);
    expect(again).toMatchObject({ applied: 0, skipped: 5 });
    expect(await totalOf()).toMatchObject({ requests: 5, priceE4: 15_000_000 });
  });

  it('applies only the records above the watermark when a retried batch overlaps and extends the applied one', async () => {
    const extended: ChangeRecord[] = [...records.slice(2), { sequenceNumber: '60', oldImage: undefined, newImage: await message('S6', '600.0000') }];
    const [group] = coalesce(extended);
    const result = await store.applyGroup('shard-A', group!);
    expect(result).toMatchObject({ writes: 2, applied: 1, skipped: 3 });
    expect(await totalOf()).toMatchObject({ requests: 6, priceE4: 21_000_000 });
  });

  it('keeps shards independent: the same sequence numbers from another shard are new records', async () => {
    const [group] = coalesce([{ sequenceNumber: '10', oldImage: undefined, newImage: await message('S7', '700.0000') }]);
    expect(await store.applyGroup('shard-B', group!)).toMatchObject({ applied: 1 });
    expect(await totalOf()).toMatchObject({ requests: 7, priceE4: 28_000_000 });
  });

  it('costs 1 WCU per counter write for a fresh counter item', async () => {
    const [group] = coalesce([{ sequenceNumber: '5', oldImage: undefined, newImage: { ...(await message('S8', '1.0000')), firstSeen: T0 + 86_400_000 } }]);
    expect((await store.applyGroup('shard-A', group!)).consumedWcu).toBe(1);
  });

  it('stays one write unit over a simulated month of shard rollover: old shards\' watermarks are dropped', async () => {
    let clock = T0;
    const month = buildCountersStore(doc, table, () => clock);
    // A counter of its own (telco 3): the other tests' watermarks are not on it.
    const head = await maker.head([{ query: callbackQuery({ smsId: 'SM', status: 5, sent: 1, success: 1, price: '1.0000', telco: 3 }), at: T0 }]);
    const [group] = coalesce([{ sequenceNumber: '1', oldImage: undefined, newImage: head }]);
    const units: number[] = [];
    const sizes: number[] = [];
    for (let shard = 0; shard < 180; shard += 1) {
      clock = T0 + shard * 4 * 3600_000; // a new shard every 4 hours, 30 days
      const result = await month.applyGroup(`shardId-${String(shard).padStart(20, '0')}-rollover`, group!);
      expect(result.applied).toBe(1);
      units.push(result.consumedWcu / result.writes);
      const item = (await store.readDay('default', '2026-02-01')).find((counter) => counter.sk === group!.sk)!;
      sizes.push(dynamoItemBytes(item));
      // Shards of the last 25 hours (a stream keeps records 24 h), plus the one just written.
      expect(Object.keys(item).filter((name) => name.startsWith('w#')).length).toBeLessThanOrEqual(8);
    }
    expect(Math.max(...units)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    // The current shard's watermark is kept: its redelivery is still refused.
    expect(await month.applyGroup('shardId-00000000000000000179-rollover', group!)).toMatchObject({ applied: 0, skipped: 1 });
  }, 120_000);
});
