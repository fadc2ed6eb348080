/**
 * Write cost of storing callbacks, measured on DynamoDB Local through the real adapter with
 * ReturnConsumedCapacity (table and index units, as DynamoDB bills them), and the size of every item.
 *
 * What is true here (layout: lib/table/esms.ts): a single-recipient callback is one UpdateItem on the
 * message's head; a new head also enters the byDay index (+1 unit once per message) and, when it names a
 * Zalo msg id, byZaloMsgId. Batch callbacks are one PutItem each, and reach the head only when they change
 * what it counts. On the realistic mix of issue 8 that is ≤ 1.3 units per accepted callback, no request
 * above 2 units, and no item above 4 KB.
 *
 * Phone search adds one index item per (SMSID, phone), written by the aggregator from the stream, not by
 * the callback (test/esms/phone-index.test.ts): what is measured here is the callback's own request.
 */
import '../../infra/local/quiet';
import { randomUUID } from 'node:crypto';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import type { EsmsRoute } from '../../lib/esms/channels';
import { buildDocumentClient } from '../../lib/store/client';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { callbackQuery } from '../support/callback-query';
import { mixedWorkload } from '../support/callback-load';
import { dynamoItemBytes } from '../support/item-size';
import { esmsFixture } from '../support/fixtures';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const endpoint = testDynamoEndpoint();
const docs: DynamoDBDocumentClient[] = [];
afterAll(() => docs.forEach((doc) => doc.destroy()));

/** A fresh Messages table and a store over it; every request's consumed capacity (with the index split) is recorded. */
const freshStore = async () => {
  const names = tableNames(`cost${randomUUID().slice(0, 8)}`);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  const doc = buildDocumentClient(endpoint);
  docs.push(doc);
  const requests: ConsumedCapacity[] = [];
  let sent = 0;
  const send = doc.send.bind(doc) as (command: unknown) => Promise<{ ConsumedCapacity?: ConsumedCapacity }>;
  doc.send = (async (command: { input: Record<string, unknown> }) => {
    sent += 1;
    if ('ReturnConsumedCapacity' in command.input) command.input.ReturnConsumedCapacity = 'INDEXES';
    const output = await send(command);
    if (output.ConsumedCapacity) requests.push(output.ConsumedCapacity);
    return output;
  }) as typeof doc.send;
  const store = buildEsmsStore(doc, names.Messages);
  const put = (raw: string, route: EsmsRoute = 'sms', receivedAt = Date.now()) => {
    const { event, canonical } = parseCallbackWithIdentity(raw);
    return store.storeCallback({ tenant: 'default', event, canonical, raw, route, receivedAt });
  };
  const items = async () => {
    const all: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: names.Messages, ExclusiveStartKey: start }));
      all.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return all;
  };
  return { put, requests, items, sent: () => sent };
};

describe('write capacity on DynamoDB Local', () => {
  it('the realistic mix costs at most 1.3 write units per accepted callback; no request above 2, no item above 4 KB', async () => {
    const { deliveries, distinct } = mixedWorkload(100, 8, `mix-${randomUUID().slice(0, 6)}-`);
    const target = await freshStore();
    let accepted = 0;
    let acceptedUnits = 0;
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const { route, query } = deliveries[index]!;
        const result = await target.put(query, route as EsmsRoute, 1_767_225_600_000 + index);
        if (result.duplicate) continue;
        accepted += 1;
        acceptedUnits += result.consumedWcu;
      }
    }));
    const items = await target.items();
    const largestItem = Math.max(...items.map(dynamoItemBytes));
    const largestWrite = Math.max(...target.requests.map((request) => request.CapacityUnits ?? 0));
    console.log(`mix: ${deliveries.length} deliveries, ${accepted} accepted, ${(acceptedUnits / accepted).toFixed(3)} WCU per accepted callback, `
      + `largest write ${largestWrite} WCU, largest item ${largestItem} B`);
    expect(accepted).toBe(distinct);
    expect(acceptedUnits / accepted).toBeLessThanOrEqual(1.3);
    // The callback path writes no phone index item: the aggregator does, from the stream.
    expect(items.filter((item) => item.kind === 'esms-ph')).toEqual([]);
    expect(largestWrite).toBeLessThanOrEqual(2);
    expect(largestItem).toBeLessThanOrEqual(4096);
  }, 300_000);

  it('a single SMS going 7 → 5 costs 2 units for its first callback (head + byDay index) and 1 for the second, one request each', async () => {
    const target = await freshStore();
    const first = await target.put(esmsFixture('cskh-status-7'));
    expect([first.consumedWcu, target.sent()]).toEqual([2, 1]);
    const second = await target.put(esmsFixture('cskh-status-5'));
    expect([second.consumedWcu, target.sent()]).toEqual([1, 2]);
    const head = target.requests.find((request) => request.GlobalSecondaryIndexes?.byDay !== undefined);
    expect(head?.Table?.CapacityUnits).toBe(1);
    expect(head?.GlobalSecondaryIndexes?.byDay?.CapacityUnits).toBe(1);
  });

  it('a batch callback that changes nothing the head counts is one 1-unit write', async () => {
    const target = await freshStore();
    const smsId = `batch-${randomUUID()}`;
    const phones = Array.from({ length: 20 }, (_, i) => `09010000${String(i).padStart(2, '0')}`);
    const costs: number[] = [];
    const again: number[] = [];
    const query = (phone: string) => callbackQuery({ smsId, status: 5, receivers: 20, sent: 20, success: 20, price: '17000.0000', phone });
    for (const phone of phones) costs.push((await target.put(query(phone))).consumedWcu);
    // A second distinct callback of each phone with the same totals (another switchsmsid).
    for (const phone of phones) again.push((await target.put(`${query(phone)}&switchsmsid=retry-route`)).consumedWcu);
    // The first creates the head (head + byDay + the overflow item); the 19 others store themselves only.
    expect(costs.slice(1)).toEqual(phones.slice(1).map(() => 1));
    expect(again).toEqual(phones.map(() => 1));
  });

  it('the largest accepted callback (3,700 bytes of query) still fits one item under 4 KB', async () => {
    const target = await freshStore();
    const base = callbackQuery({ smsId: `big-${randomUUID()}`, status: 5, receivers: 2, sent: 2, success: 2, phone: '0901888484' });
    const raw = `${base}&note=${'n'.repeat(3700 - base.length - 6)}`;
    expect(Buffer.byteLength(raw)).toBe(3700);
    expect((await target.put(raw)).duplicate).toBe(false);
    const largest = Math.max(...(await target.items()).map(dynamoItemBytes));
    expect(largest).toBeGreaterThan(3700);
    expect(largest).toBeLessThanOrEqual(4096);
  });
});
