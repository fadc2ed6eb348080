/**
 * Section 4: DynamoDB write units per callback through the real adapter (`buildEsmsStore().storeCallback`)
 * on DynamoDB Local, every request's ConsumedCapacity taken with INDEXES (table and index units, as
 * DynamoDB bills them) and attributed to the callback that sent it.
 *
 * - The realistic mix (`mixedWorkload`: 70 % single 7 → 5, 20 % through 1/2/7, 10 % batches of 2–50
 *   phones, every callback delivered 1–5 times, shuffled) at 8 in flight: units per accepted callback
 *   (target ≤ 1.3), table vs index, units spent on duplicates, the largest request (target ≤ 2) and the
 *   largest item (target ≤ 4,096 B).
 * - Shapes on their own: a single SMS 7 → 5, a single ZNS 7 → 5 (the final naming a Zalo msg id), a
 *   50-phone batch (7 then 5 per phone), the largest accepted callback (3,700-byte query).
 * - Each fixture line's first delivery and its duplicate.
 *
 * A refused conditional write carries no ConsumedCapacity; the adapter counts it as 1 unit. AWS bills it by
 * the size of the item already there (minimum 1), so the bench also sizes that item and reports the
 * billed estimate next to the adapter's figure.
 */
import '../../../infra/local/quiet';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { routeOfType, type EsmsRoute } from '../../../lib/esms/channels';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import type { StoreCallbackResult } from '../../../lib/esms/ports';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { HEAD_SK } from '../../../lib/table/esms';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { mixedWorkload } from '../../support/callback-load';
import { callbackQuery } from '../../support/callback-query';
import { esmsCallbackLines, esmsFixture } from '../../support/fixtures';
import { dynamoItemBytes } from '../../support/item-size';
import { round, runLimited, size, writeJson } from '../common';

const TARGETS = { wcuPerAccepted: 1.3, largestWriteWcu: 2, largestItemBytes: 4096 } as const;

/** One write request as DynamoDB Local answered it. */
interface WriteRequest {
  op: 'UpdateItem' | 'PutItem';
  target: 'head' | 'overflow';
  refused: boolean;
  /** Units as reported (a refusal: what the adapter counts, 1). */
  units: number;
  table: number;
  indexes: Record<string, number>;
  /** A refusal: max(1, ceil(existing item bytes / 1024)), what AWS bills for it. */
  billed: number;
}

interface Delivery { query: string; result: StoreCallbackResult; requests: WriteRequest[] }

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const OPS: Record<string, WriteRequest['op']> = { UpdateCommand: 'UpdateItem', PutCommand: 'PutItem' };

/**
 * A messages table of its own and the adapter over a document client whose every write request's
 * ConsumedCapacity (INDEXES) is recorded, into the list of the callback being stored (AsyncLocalStorage).
 */
const meteredStore = async (endpoint: string, name: string) => {
  const names = tableNames(name);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  const doc = buildDocumentClient(endpoint);
  const plain = doc.send.bind(doc) as (command: unknown) => Promise<Record<string, unknown>>;
  const current = new AsyncLocalStorage<WriteRequest[]>();
  const all: WriteRequest[] = [];
  const itemBytes = async (key: Record<string, unknown>): Promise<number> => {
    const { Item } = await plain(new GetCommand({ TableName: names.Messages, Key: key, ConsistentRead: true })) as { Item?: Record<string, unknown> };
    return Item ? dynamoItemBytes(Item) : 0;
  };
  doc.send = (async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
    const op = OPS[command.constructor.name];
    const metered = op !== undefined && 'ReturnConsumedCapacity' in command.input;
    if (metered) command.input.ReturnConsumedCapacity = 'INDEXES';
    const key = (command.input.Key ?? { pk: (command.input.Item as Record<string, unknown> | undefined)?.pk, sk: (command.input.Item as Record<string, unknown> | undefined)?.sk }) as Record<string, unknown>;
    const record = (request: WriteRequest) => {
      all.push(request);
      current.getStore()?.push(request);
    };
    try {
      const output = await plain(command);
      const capacity = output.ConsumedCapacity as ConsumedCapacity | undefined;
      if (metered && capacity) {
        const indexes = Object.fromEntries(Object.entries(capacity.GlobalSecondaryIndexes ?? {}).map(([index, c]) => [index, c.CapacityUnits ?? 0]));
        const units = capacity.CapacityUnits ?? 0;
        record({ op: op!, target: key.sk === HEAD_SK ? 'head' : 'overflow', refused: false, units, table: capacity.Table?.CapacityUnits ?? units - sum(Object.values(indexes)), indexes, billed: units });
      }
      return output;
    } catch (error) {
      if (metered && (error as Error).name === 'ConditionalCheckFailedException') {
        const reported = (error as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity?.CapacityUnits;
        const units = Math.max(1, reported ?? 1);
        record({ op: op!, target: key.sk === HEAD_SK ? 'head' : 'overflow', refused: true, units, table: units, indexes: {}, billed: Math.max(1, Math.ceil((await itemBytes(key)) / 1024)) });
      }
      throw error;
    }
  }) as typeof doc.send;
  const store = buildEsmsStore(doc, names.Messages);
  const put = async (query: string, route?: EsmsRoute, receivedAt = Date.now()): Promise<Delivery> => {
    const { event, canonical } = parseCallbackWithIdentity(query);
    const requests: WriteRequest[] = [];
    const result = await current.run(requests, () => store.storeCallback({
      tenant: DEFAULT_TENANT, event, canonical, raw: query, route: route ?? routeOfType(event.typeId), receivedAt,
    }));
    return { query, result, requests };
  };
  const items = async (): Promise<Array<Record<string, unknown>>> => {
    const found: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await plain(new ScanCommand({ TableName: names.Messages, ExclusiveStartKey: start })) as { Items?: Array<Record<string, unknown>>; LastEvaluatedKey?: Record<string, unknown> };
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  };
  return { put, all, items, destroy: () => doc.destroy() };
};

/** Units of a set of deliveries, split by where they went. */
const split = (deliveries: Delivery[]) => {
  const requests = deliveries.flatMap((d) => d.requests);
  const indexNames = [...new Set(requests.flatMap((r) => Object.keys(r.indexes)))].sort();
  return {
    reported: sum(deliveries.map((d) => d.result.consumedWcu)),
    // Written by the aggregator from the stream (lib/store/esms-phone-index.ts): one 1-unit PutItem per (SMSID, phone).
    phoneIndex: new Set(deliveries.map(({ query }) => {
      const params = new URLSearchParams(query);
      return params.get('phonenumber') ? `${params.get('SMSID')}|${params.get('phonenumber')}` : '';
    }).filter(Boolean)).size,
    captured: sum(requests.map((r) => r.units)),
    table: sum(requests.map((r) => r.table)),
    indexes: Object.fromEntries(indexNames.map((name) => [name, sum(requests.map((r) => r.indexes[name] ?? 0))])),
    headWrites: requests.filter((r) => r.target === 'head' && !r.refused).length,
    overflowWrites: requests.filter((r) => r.target === 'overflow' && !r.refused).length,
    refused: requests.filter((r) => r.refused).length,
    refusedUnits: sum(requests.filter((r) => r.refused).map((r) => r.units)),
    refusedBilled: sum(requests.filter((r) => r.refused).map((r) => r.billed)),
    requests: requests.length,
  };
};
const perCallback = (s: ReturnType<typeof split>, n: number) => ({
  wcu: round((s.reported + s.phoneIndex) / n, 3),
  /** The callback's own writes, without the phone index (the aggregator's, one unit per phone and SMSID): what the 1.3 target is about. */
  storage: round(s.reported / n, 3),
  phoneIndex: round(s.phoneIndex / n, 3),
  table: round(s.table / n, 3),
  indexes: Object.fromEntries(Object.entries(s.indexes).map(([name, units]) => [name, round(units / n, 3)])),
  requests: round(s.requests / n, 3),
});

const itemFacts = (items: Array<Record<string, unknown>>) => {
  const sized = items.map((item) => ({ bytes: dynamoItemBytes(item), head: item.sk === HEAD_SK }));
  const heads = sized.filter((s) => s.head);
  const overflow = sized.filter((s) => !s.head);
  return {
    items: sized.length,
    heads: heads.length,
    overflowItems: overflow.length,
    largestBytes: Math.max(0, ...sized.map((s) => s.bytes)),
    largestHeadBytes: Math.max(0, ...heads.map((s) => s.bytes)),
    largestOverflowBytes: Math.max(0, ...overflow.map((s) => s.bytes)),
    meanHeadBytes: round(sum(heads.map((s) => s.bytes)) / Math.max(1, heads.length), 0),
  };
};

/** A step of a shape: what one callback cost. */
const step = (label: string, d: Delivery) => ({
  label,
  duplicate: d.result.duplicate,
  headChanged: d.result.headChanged,
  wcu: d.result.consumedWcu,
  table: sum(d.requests.map((r) => r.table)),
  indexes: Object.fromEntries([...new Set(d.requests.flatMap((r) => Object.keys(r.indexes)))].map((name) => [name, sum(d.requests.map((r) => r.indexes[name] ?? 0))])),
  requests: d.requests.map((r) => `${r.op}:${r.target}${r.refused ? ':refused' : ''}=${r.units}`).join(' '),
  billed: sum(d.requests.map((r) => r.billed)),
});

const mix = async (endpoint: string, stamp: string) => {
  const messages = size('BENCH_WCU_MESSAGES', 400, 100);
  const concurrency = size('BENCH_WCU_CONCURRENCY', 8, 8);
  const target = await meteredStore(endpoint, `wcumix${stamp}`);
  const { deliveries, distinct } = mixedWorkload(messages, 4242, `wcu${stamp}-`);
  const results: Delivery[] = new Array(deliveries.length);
  const t0 = performance.now();
  await runLimited(deliveries, concurrency, async ({ route, query }, index) => {
    results[index] = await target.put(query, route as EsmsRoute);
  });
  const seconds = (performance.now() - t0) / 1000;
  const accepted = results.filter((d) => !d.result.duplicate);
  const duplicates = results.filter((d) => d.result.duplicate);
  const a = split(accepted);
  const dup = split(duplicates);
  const items = itemFacts(await target.items());
  const writes = target.all.filter((r) => !r.refused);
  const histogram: Record<string, number> = {};
  for (const d of accepted) histogram[String(d.result.consumedWcu)] = (histogram[String(d.result.consumedWcu)] ?? 0) + 1;
  target.destroy();
  return {
    messages, concurrency, deliveries: deliveries.length, distinct, accepted: accepted.length, duplicates: duplicates.length,
    acceptedMatchesDistinct: accepted.length === distinct, seconds: round(seconds, 1),
    perAccepted: { ...perCallback(a, accepted.length), capturedWcu: round(a.captured / accepted.length, 3), headWrites: round(a.headWrites / accepted.length, 3), overflowWrites: round(a.overflowWrites / accepted.length, 3), refusedInside: a.refused },
    acceptedTotals: a,
    acceptedWcuHistogram: histogram,
    duplicateUnits: {
      // What the adapter reports (refusals at 1) and what AWS would bill (refusals by the existing item's size).
      perDelivery: round(dup.reported / deliveries.length, 3),
      perDuplicate: round(dup.reported / Math.max(1, duplicates.length), 3),
      billedPerDelivery: round((dup.reported - dup.refusedUnits + dup.refusedBilled) / deliveries.length, 3),
      billedPerDuplicate: round((dup.reported - dup.refusedUnits + dup.refusedBilled) / Math.max(1, duplicates.length), 3),
      refused: dup.refused,
      successfulWritesOnDuplicates: dup.requests - dup.refused,
    },
    allUnitsPerDelivery: round((a.reported + dup.reported) / deliveries.length, 3),
    largestWriteWcu: Math.max(0, ...writes.map((r) => r.units)),
    largestWriteTableWcu: Math.max(0, ...writes.map((r) => r.table)),
    largestRefusedBilledWcu: Math.max(0, ...target.all.filter((r) => r.refused).map((r) => r.billed)),
    items,
  };
};

const shapes = async (endpoint: string, stamp: string) => {
  const target = await meteredStore(endpoint, `wcushape${stamp}`);
  const id = () => randomUUID().replaceAll('-', '');

  // Single SMS, CSKH (TypeId 2), 7 then 5, then the 5 again.
  const sms = { smsId: id(), typeId: 2, receivers: 1, telco: 3, phone: '0912345678' };
  const sms7 = callbackQuery({ ...sms, status: 7, sent: 1, price: '850.0000' });
  const sms5 = callbackQuery({ ...sms, status: 5, sent: 1, success: 1, price: '850.0000' });
  const smsSteps = [step('7', await target.put(sms7)), step('5', await target.put(sms5)), step('5 again', await target.put(sms5))];

  // Single ZNS (TypeId 25): the 7 without a Zalo msg id, the final naming it (partnerids, error_info), as in fixture zns-delivered-with-time.
  const znsFinal = esmsFixture('zns-delivered-with-time').replace(/SMSID=[^&]*/, `SMSID=${id()}`);
  const zns7 = znsFinal.replace('SendStatus=5', 'SendStatus=7').replace('SendSuccess=1', 'SendSuccess=0').replace(/&partnerids=[^&]*/, '').replace(/&error_info=[^&]*/, '');
  const znsSteps = [step('7', await target.put(zns7)), step('5 (partnerids)', await target.put(znsFinal)), step('5 again', await target.put(znsFinal))];

  // A 50-phone batch: each phone's 7, then each phone's 5 (the batch's totals on every one), then all 100 again.
  const batch = { smsId: id(), typeId: 2, receivers: 50, telco: 1 };
  const phones = Array.from({ length: 50 }, (_, i) => `09020000${String(i).padStart(2, '0')}`);
  const batchQueries = [
    ...phones.map((phone) => callbackQuery({ ...batch, phone, status: 7, sent: 50, price: '42500.0000' })),
    ...phones.map((phone) => callbackQuery({ ...batch, phone, status: 5, sent: 50, success: 48, failed: 2, price: '42500.0000' })),
  ];
  const first: Delivery[] = [];
  for (const query of batchQueries) first.push(await target.put(query));
  const again: Delivery[] = [];
  for (const query of batchQueries) again.push(await target.put(query));
  const b = split(first);
  const bAgain = split(again);

  // The largest callback the adapter accepts: a 3,700-byte query (a batch member, so an overflow item).
  const bigBase = callbackQuery({ smsId: id(), status: 5, receivers: 2, sent: 2, success: 2, phone: '0901888484', telco: 1 });
  const big = `${bigBase}&note=${'n'.repeat(3700 - bigBase.length - 6)}`;
  const bigSingleBase = callbackQuery({ smsId: id(), status: 5, receivers: 1, sent: 1, success: 1, phone: '0901888485', telco: 1 });
  const bigSingle = `${bigSingleBase}&note=${'n'.repeat(3700 - bigSingleBase.length - 6)}`;
  const bigSteps = [step('3,700 B, batch member', await target.put(big)), step('3,700 B, single recipient', await target.put(bigSingle))];

  const items = itemFacts(await target.items());
  const largestWrite = Math.max(0, ...target.all.filter((r) => !r.refused).map((r) => r.units));
  target.destroy();
  return {
    singleSms: { steps: smsSteps, perCallback: round((smsSteps[0]!.wcu + smsSteps[1]!.wcu) / 2, 3) },
    singleZns: { steps: znsSteps, perCallback: round((znsSteps[0]!.wcu + znsSteps[1]!.wcu) / 2, 3) },
    batch50: {
      callbacks: first.length,
      wcu: b.reported,
      perCallback: perCallback(b, first.length),
      headAdvances: first.filter((d) => d.result.headChanged).length,
      firstCallbackWcu: first[0]!.result.consumedWcu,
      largestCallbackWcu: Math.max(...first.map((d) => d.result.consumedWcu)),
      again: { duplicates: again.filter((d) => d.result.duplicate).length, wcu: bAgain.reported, billed: bAgain.reported - bAgain.refusedUnits + bAgain.refusedBilled, perCallback: round(bAgain.reported / again.length, 3) },
    },
    largest: { steps: bigSteps },
    items,
    largestWriteWcu: largestWrite,
  };
};

/** Each fixture line's first delivery on a message of its own, and the same line again. */
const fixtureLines = async (endpoint: string, stamp: string) => {
  const parsedLines = esmsCallbackLines().map((raw) => {
    try {
      return { raw, parsed: parseCallbackWithIdentity(raw) };
    } catch (error) {
      return { raw, error: String(error) };
    }
  });
  // Lines of one SMSID share its head: a line whose SMSID an earlier line took goes to the next table.
  const used: Array<Set<string>> = [];
  const slots = parsedLines.map((line) => {
    if (!('parsed' in line) || !line.parsed) return -1;
    const key = line.parsed.event.smsId;
    let slot = used.findIndex((keys) => !keys.has(key));
    if (slot === -1) slot = used.push(new Set()) - 1;
    used[slot]!.add(key);
    return slot;
  });
  const tables = await Promise.all(used.map((_, i) => meteredStore(endpoint, `wcufix${stamp}t${i}`)));
  const perLine: Array<{ line: number; firstWcu: number | null; indexes?: Record<string, number>; duplicate: boolean; dupDuplicate: boolean; dupWcu: number | null; dupBilled?: number; table: number; error?: string }> = [];
  for (const [index, line] of parsedLines.entries()) {
    if (!('parsed' in line) || !line.parsed) {
      perLine.push({ line: index + 1, firstWcu: null, duplicate: false, dupDuplicate: false, dupWcu: null, table: -1, error: line.error });
      continue;
    }
    const slot = slots[index]!;
    const first = await tables[slot]!.put(line.raw);
    const again = await tables[slot]!.put(line.raw);
    perLine.push({
      line: index + 1, firstWcu: first.result.consumedWcu, indexes: step('', first).indexes, duplicate: first.result.duplicate,
      dupDuplicate: again.result.duplicate, dupWcu: again.result.consumedWcu, dupBilled: step('', again).billed, table: slot,
    });
  }
  tables.forEach((t) => t.destroy());
  const firsts = perLine.filter((row) => row.firstWcu !== null && !row.duplicate);
  return {
    perLine,
    lines: firsts.length,
    meanWcu: round(sum(firsts.map((row) => row.firstWcu!)) / firsts.length, 3),
    histogram: Object.fromEntries([...new Set(firsts.map((row) => row.firstWcu))].sort().map((w) => [String(w), firsts.filter((row) => row.firstWcu === w).length])),
    duplicatesRecognised: perLine.filter((row) => row.dupDuplicate).length,
    duplicateWcu: Object.fromEntries([...new Set(perLine.map((row) => row.dupWcu))].filter((w) => w !== null).map((w) => [String(w), perLine.filter((row) => row.dupWcu === w).length])),
    duplicateBilled: Object.fromEntries([...new Set(perLine.map((row) => row.dupBilled))].filter((w) => w !== undefined).map((w) => [String(w), perLine.filter((row) => row.dupBilled === w).length])),
  };
};

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const stamp = Date.now().toString(36);
  const mixed = await mix(endpoint, stamp);
  const shaped = await shapes(endpoint, stamp);
  const fixtures = await fixtureLines(endpoint, stamp);
  writeJson(out, { targets: TARGETS, mix: mixed, shapes: shaped, fixtures });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
