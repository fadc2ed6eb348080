/**
 * Write cost of storing a callback, measured on DynamoDB Local through the real adapter
 * (`buildEsmsStore(...).storeCallback`, one conditional UpdateItem with ReturnConsumedCapacity TOTAL).
 *
 * What is true here: every fixture line's first delivery writes a table item under 1 KB (1 WCU). Lines
 * that carry a Zalo message id (`partnerids`, or `data.message_id`/`msg_id` inside `error_info`) also set
 * `zmsg`, the key of the sparse KEYS_ONLY GSI byZaloMsgId, and DynamoDB Local counts that index write
 * in the total (as DynamoDB does): those lines cost 2 WCU. A second distinct callback for the same
 * SMSID × phone is billed on the whole item, which keeps every callback's raw query: it costs 2 table
 * units once the item passes 1 KB, and a changed `zmsg` costs 2 index units (delete + put); an unchanged
 * `zmsg` costs no index write.
 */
import '../../infra/local/quiet';
import { randomUUID } from 'node:crypto';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import { buildDocumentClient } from '../../lib/store/client';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { esmsCallbackLines, esmsLine } from '../support/fixtures';

const endpoint = inject('dynamoEndpoint');
const docs: DynamoDBDocumentClient[] = [];
afterAll(() => docs.forEach((doc) => doc.destroy()));

/** A fresh Messages table (own prefix) and a store over it, with the product's document client. */
const freshStore = async (options: { captureIndexes?: ConsumedCapacity[] } = {}) => {
  const names = tableNames(`cost${randomUUID().slice(0, 8)}`);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  const doc = buildDocumentClient(endpoint);
  docs.push(doc);
  const capture = options.captureIndexes;
  if (capture) {
    // Same request, but asking for the per-table/per-index split of the same total.
    const send = doc.send.bind(doc) as (command: unknown) => Promise<{ ConsumedCapacity?: ConsumedCapacity }>;
    doc.send = (async (command: { input: Record<string, unknown> }) => {
      command.input.ReturnConsumedCapacity = 'INDEXES';
      const output = await send(command);
      capture.push(output.ConsumedCapacity ?? {});
      return output;
    }) as typeof doc.send;
  }
  return buildEsmsStore(doc, names.Messages);
};

const storeRaw = async (target: Awaited<ReturnType<typeof freshStore>>, raw: string) => {
  const { event, canonical } = parseCallbackWithIdentity(raw);
  return target.storeCallback({ event, canonical, raw, route: 'sms', receivedAt: Date.now() });
};
const store = (target: Awaited<ReturnType<typeof freshStore>>, line: number) => storeRaw(target, esmsLine(line));

/** Lines whose callback names a Zalo message id, so their item enters the byZaloMsgId index. */
const ZALO_MSG_ID_LINES = new Set([5, 6, 7, 8, 9, 11, 12, 23, 24]);
/** Lines whose SMSID × phone item already exists, or that are retries, when the file is stored in order. */
const SHARES_AN_ITEM_WITH_AN_EARLIER_LINE = new Set([7, 8, 10, 14, 18]);
const LINES = esmsCallbackLines().map((_, index) => index + 1);

/** Stores every line once on an item of its own (two tables, so line 8 does not land on line 5's item). */
const firstDeliveries = async (captureIndexes?: ConsumedCapacity[]) => {
  const [inFileOrder, others] = [await freshStore({ captureIndexes }), await freshStore({ captureIndexes })];
  const results = new Map<number, Awaited<ReturnType<typeof store>>>();
  for (const line of LINES) results.set(line, await store(SHARES_AN_ITEM_WITH_AN_EARLIER_LINE.has(line) ? others : inFileOrder, line));
  return results;
};

describe('write capacity per callback on DynamoDB Local', () => {
  it('each of the 30 fixture lines, delivered first onto its own item, costs 1 WCU, or 2 when it carries a Zalo msg id (byZaloMsgId index)', async () => {
    const results = await firstDeliveries();
    const measured = LINES.map((line) => [line, results.get(line)]);
    console.log(`WCU per fixture line (first delivery): ${LINES.map((line) => `${line}:${results.get(line)?.consumedWcu}`).join(' ')}`);
    expect(measured).toEqual(LINES.map((line) => [line, { duplicate: false, consumedWcu: ZALO_MSG_ID_LINES.has(line) ? 2 : 1 }]));
  });

  it('split of those totals: the table write is exactly 1 WCU for every line; the index adds exactly 1 for the Zalo-msg-id lines, 0 otherwise', async () => {
    const capacities: ConsumedCapacity[] = [];
    await firstDeliveries(capacities);
    expect(capacities).toHaveLength(30);
    const byLine = new Map(LINES.map((line, index) => [line, capacities[index]!])); // one write per line, in line order
    expect(LINES.map((line) => [line, byLine.get(line)?.Table?.CapacityUnits])).toEqual(LINES.map((line) => [line, 1]));
    expect(LINES.map((line) => [line, byLine.get(line)?.GlobalSecondaryIndexes?.byZaloMsgId?.CapacityUnits ?? 0]))
      .toEqual(LINES.map((line) => [line, ZALO_MSG_ID_LINES.has(line) ? 1 : 0]));
  });

  const line12As7 = esmsLine(12).replace('SendStatus=5', 'SendStatus=7');
  it.each([
    ['line 14 after 13 (SMS 7 then 5): both raw queries still fit in 1 KB', [esmsLine(13), esmsLine(14)], [[1, 1, undefined], [1, 1, undefined]]],
    ['line 8 after 5 (same SMSID × phone): item over 1 KB, and zmsg e1a60e8890be9de4c4ab → e1a60e8890be9derir3gfbff is a delete + put in the index',
      [esmsLine(5), esmsLine(8)], [[2, 1, 1], [4, 2, 2]]],
    ['line 12 after its own 7 (same zmsg): item over 1 KB; the unchanged index key is not rewritten', [line12As7, esmsLine(12)], [[2, 1, 1], [2, 2, undefined]]],
  ])('a second distinct callback on an existing item: %s → [total, table, index] WCU', async (_name, raws, expected) => {
    const capacities: ConsumedCapacity[] = [];
    const target = await freshStore({ captureIndexes: capacities });
    for (const raw of raws) await storeRaw(target, raw);
    expect(capacities.map((capacity) => [capacity.CapacityUnits, capacity.Table?.CapacityUnits, capacity.GlobalSecondaryIndexes?.byZaloMsgId?.CapacityUnits]))
      .toEqual(expected);
  });

  it('a retry (duplicate) reports no consumed capacity through the adapter', async () => {
    const target = await freshStore();
    expect(await store(target, 1)).toEqual({ duplicate: false, consumedWcu: 1 });
    // The failed condition is still a write DynamoDB bills (1 WCU on AWS); the SDK error carries no figure.
    expect(await store(target, 18)).toEqual({ duplicate: true, consumedWcu: undefined });
  });
});
