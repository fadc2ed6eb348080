/**
 * Zalo events in the report counters: the pure contribution of a stored event item, and a synthetic
 * DynamoDB stream batch (marshalled NewImages of stored items) through the real aggregator and the real
 * counters adapter on DynamoDB Local, read back per day.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { toChange } from '../../lib/aws/stream-records';
import { buildAggregator } from '../../lib/aggregate/aggregator';
import { contributionsOf } from '../../lib/aggregate/contributions';
import { zaloContributions } from '../../lib/aggregate/zalo-contributions';
import { METRICS } from '../../lib/observability/metric-names';
import { buildCountersStore } from '../../lib/store/counters';
import { buildDeadLetterStore } from '../../lib/store/dead-letters';
import { DEFAULT_TENANT } from '../../lib/table/names';
import { copyItems } from '../../lib/zalo/items';
import { stateChanges } from '../../lib/zalo/state';
import { zaloEventKey, type StoredZaloEvent } from '../../lib/table/zalo';
import { uniquePrefix } from '../support/stack';
import { known, storedFixture } from './events';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const OA = '1397492183140006179';

const stored = storedFixture;

describe('zaloContributions (pure)', () => {
  // 2026-03-01T16:59:59Z is 23:59:59 in Vietnam; one second later is the next Vietnam day.
  const lateEvening = Date.parse('2026-03-01T16:59:59Z');

  it('an event item is one event of its family, per OA, on the Vietnam day of its timestamp', () => {
    expect(zaloContributions(stored('user_received_message', lateEvening))).toEqual([
      { key: { tenant: DEFAULT_TENANT, scope: 'zalo', day: '2026-03-01', dims: { oa: OA, family: 'zns_delivery' } }, metrics: { events: 1 } },
    ]);
    expect(zaloContributions(stored('follow', lateEvening + 1000))[0]!.key).toEqual({ tenant: DEFAULT_TENANT, scope: 'zalo', day: '2026-03-02', dims: { oa: OA, family: 'follow' } });
  });

  it('an event counts in the counters of its own tenant; an event without an OA under oa "-"', () => {
    expect(zaloContributions(stored('follow', lateEvening, 'acme'))[0]!.key).toMatchObject({ tenant: 'acme', dims: { oa: OA, family: 'follow' } });
    const { oaId: _oa, ...withoutOa } = stored('user_send_text', lateEvening);
    expect(zaloContributions(withoutOa)[0]!.key.dims).toEqual({ oa: '-', family: 'user_message' });
  });

  it('an item written before tenants (no tenant attribute) counts for the tenant default', () => {
    const { tenant: _tenant, ...legacy } = stored('follow', lateEvening, 'acme');
    expect(zaloContributions(legacy)[0]!.key.tenant).toBe(DEFAULT_TENANT);
  });

  it('copies and state items count nothing (the dispatcher only sends kind "zalo" here)', () => {
    const text = stored('user_send_text', lateEvening);
    const copies = copyItems(text, known(text.raw));
    expect(copies).toHaveLength(1);
    for (const copy of copies) expect(contributionsOf(copy)).toEqual([]);
    const follow = stored('follow', lateEvening);
    for (const change of stateChanges(known(follow.raw), DEFAULT_TENANT)) {
      expect(contributionsOf({ ...change.key, kind: change.kind, ...change.set })).toEqual([]);
    }
  });
});

describe('Zalo events through the aggregator (synthetic stream batch, DynamoDB Local)', () => {
  const client = localClient(testDynamoEndpoint());
  const doc = DynamoDBDocumentClient.from(client);
  const tables = tableNames(uniquePrefix());
  const counters = buildCountersStore(doc, tables.Counters);
  const noop = () => undefined;
  const aggregate = buildAggregator({
      toChange,
    counters,
    deadLetters: { add: async () => undefined },
    telemetry: { count: noop, gauge: noop },
    log: { debug: noop, info: noop, warn: noop, error: noop },
    now: Date.now,
  });

  beforeAll(async () => {
    await ensureTables(client, tables);
  });
  afterAll(() => client.destroy());

  const at = Date.parse('2026-04-10T02:00:00Z');
  const items = [
    stored('user_received_message', at),
    stored('user_send_text', at + 1000),
    stored('user_send_image', at + 2000),
    stored('follow', at + 3000),
  ];
  const insert = (item: StoredZaloEvent, seq: number): DynamoDBRecord => ({
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(seq),
      ApproximateCreationDateTime: Math.floor(at / 1000),
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
    },
  });
  const batch = { Records: items.map((item, index) => insert(item, 100 + index)), shardId: 'shard-zalo-1' };

  const zaloCounters = async (day: string) =>
    Object.fromEntries((await counters.readDay(DEFAULT_TENANT, day)).filter((item) => item.scope === 'zalo')
      .map((item) => [`${(item.dims as Record<string, string>).oa}/${(item.dims as Record<string, string>).family}`, item.events]));

  it('counts each event once per (OA, family, day), and a redelivered batch changes nothing', async () => {
    expect(await aggregate(batch)).toEqual({ state: {}, batchItemFailures: [] });
    const expected = { [`${OA}/zns_delivery`]: 1, [`${OA}/user_message`]: 2, [`${OA}/follow`]: 1 };
    expect(await zaloCounters('2026-04-10')).toEqual(expected);
    await aggregate(batch);
    expect(await zaloCounters('2026-04-10')).toEqual(expected);
  });

  it('a foreign image (kind zalo but not our shape) is dead-lettered whole; the rest of its batch still counts', async () => {
    const day = Date.parse('2026-04-11T02:00:00Z');
    const counted: string[] = [];
    const deadLetters = buildDeadLetterStore(doc, tables.Counters);
    const aggregateAt = buildAggregator({
      toChange,
      counters,
      deadLetters,
      telemetry: { count: (name) => void counted.push(name), gauge: noop },
      log: { debug: noop, info: noop, warn: noop, error: noop },
      now: () => day,
    });
    const foreign = { ...zaloEventKey({ tenant: DEFAULT_TENANT, msgIds: ['foreign'], appId: 'app', eventTime: day, dedupKey: 'k' }), kind: 'zalo', note: 'no family, no raw' };
    const poison: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '300', Keys: marshall({ pk: foreign.pk, sk: foreign.sk }) as never, NewImage: marshall(foreign) as never },
    };
    const follow = insert(stored('follow', day), 301);
    expect(await aggregateAt({ Records: [poison, follow], shardId: 'shard-zalo-2' })).toEqual({ state: {}, batchItemFailures: [] });
    const letters = await deadLetters.listDay('2026-04-11');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ shardId: 'shard-zalo-2', sequenceNumber: '300', at: day });
    expect(String(letters[0]!.reason)).not.toBe('');
    expect(JSON.parse(letters[0]!.record as string)).toEqual(poison);
    expect(counted.filter((name) => name === METRICS.deadLetteredRecords)).toHaveLength(1);
    expect(await zaloCounters('2026-04-11')).toEqual({ [`${OA}/follow`]: 1 });
  });
});
