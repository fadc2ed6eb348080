/**
 * Section 6: what aggregation costs in counter writes. The messages table is filled through the real
 * eSMS adapter while the stream poller (Lambda's event source mapping, emulated, with serverless.yml's
 * batch settings) feeds the real `buildAggregator` over the real counters adapter, whose `applyGroup` is
 * wrapped to count requests and consumed WCU. Same run: a NAIVE counter update, one UpdateItem ADD per
 * counter a stream record touches, no coalescing and no watermark.
 */
import '../../../infra/local/quiet';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { streamConsumers } from '../../../infra/local/routes';
import { startStreamPoller } from '../../../infra/local/stream-poller';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { buildAggregator, type StreamWindowEvent } from '../../../lib/aggregate/aggregator';
import { toChange } from '../../../lib/aws/stream-records';
import { coalesce, recordDelta } from '../../../lib/aggregate/deltas';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { vietnamDay } from '../../../lib/time';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildCountersStore } from '../../../lib/store/counters';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import type { EsmsRoute } from '../../../lib/esms/channels';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { callbackWorkload } from '../../support/callback-load';
import { round, runLimited, size, writeJson } from '../common';

const noop = () => undefined;
/** The real aggregator over `counters`, counting the adapter's calls, write requests and WCU. */
const meteredAggregator = (counters: ReturnType<typeof buildCountersStore>) => {
  const applied = { calls: 0, writes: 0, wcu: 0 };
  const aggregate = buildAggregator({
    counters: {
      async applyShard(shardId, groups) {
        const result = await counters.applyShard(shardId, groups);
        applied.calls += 1;
        applied.writes += result.counterWrites;
        applied.wcu += result.consumedWcu;
        return result;
      },
    },
    deadLetters: { add: async () => undefined },
    telemetry: { count: noop, gauge: noop },
    log: { debug: noop, info: noop, warn: noop, error: noop },
    now: Date.now,
    toChange,
  });
  return { aggregate, applied };
};

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const stamp = Date.now().toString(36);
  const names = tableNames(`agg${stamp}`);
  const naiveNames = tableNames(`naive${stamp}`);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  await ensureTables(admin, naiveNames);
  admin.destroy();
  const doc = buildDocumentClient(endpoint);
  const consumer = streamConsumers().find((c) => c.functionName === 'aggregator')!;
  const batchSize = Number(process.env.BENCH_AGG_BATCH_SIZE ?? consumer.batchSize);
  const batchWindowMs = Number(process.env.BENCH_AGG_WINDOW_MS ?? consumer.maximumBatchingWindow * 1000);

  const counters = buildCountersStore(doc, names.Counters);
  const { aggregate, applied } = meteredAggregator(counters);
  const invocations: number[] = [];
  const records: StreamWindowEvent['Records'] = [];
  const batchesSeen: Array<StreamWindowEvent['Records']> = [];
  const poller = startStreamPoller({
    endpoint, table: names.Messages, batchSize, batchWindowMs,
    maximumRetryAttempts: consumer.maximumRetryAttempts, bisectBatchOnFunctionError: consumer.bisectBatchOnFunctionError,
    tumblingWindowInSeconds: consumer.tumblingWindowInSeconds, drainKeepsWindow: true,
    invoke: async (event) => {
      const esms = event.Records.filter((r) => r.dynamodb?.NewImage?.kind?.S === 'esms' || r.dynamodb?.OldImage?.kind?.S === 'esms');
      invocations.push(esms.length);
      records.push(...esms);
      if (esms.length) batchesSeen.push(esms);
      return aggregate(event);
    },
    onError: (error) => console.error('[bench] poller:', error),
  });

  // Fill the messages table through the real adapter while the poller runs (live batches).
  const messages = size('BENCH_AGG_MESSAGES', 1000, 300);
  const { deliveries, expected } = callbackWorkload(messages, 6060, `agg${stamp}-`);
  // A retried delivery is a refused conditional write and leaves no stream record: writing each distinct
  // callback once (first occurrence, same order) gives the aggregator the same stream in a third of the time.
  const seen = new Set<string>();
  const distinct = deliveries.filter(({ query }) => (seen.has(query) ? false : (seen.add(query), true)));
  const store = buildEsmsStore(doc, names.Messages);
  let accepted = 0;
  const started = performance.now();
  await runLimited(distinct, 16, async ({ route, query }) => {
    const { event, canonical } = parseCallbackWithIdentity(query);
    const result = await store.storeCallback({ tenant: DEFAULT_TENANT, event, canonical, raw: query, route: route as EsmsRoute, receivedAt: Date.now() });
    if (!result.duplicate) accepted += 1;
  });
  const ingestSeconds = (performance.now() - started) / 1000;
  await poller.drain();
  await poller.stop();

  // Exactness check: the day's esms counters must count every message once.
  const day = vietnamDay(Date.now());
  const items = await counters.readDay(DEFAULT_TENANT, day);
  const requests = items.filter((item) => item.scope === 'esms').reduce((sum, item) => sum + Number(item.requests ?? 0), 0);

  // NAIVE, same engine, same records: one UpdateItem ADD per counter touched by each record.
  const naive = { writes: 0, wcu: 0 };
  const naiveStarted = performance.now();
  await runLimited(records, 16, async (record) => {
    const delta = recordDelta({ oldImage: image(record.dynamodb?.OldImage), newImage: image(record.dynamodb?.NewImage) });
    for (const [id, { metrics }] of delta) {
      const [pk, sk] = id.split('\n') as [string, string];
      const entries = Object.entries(metrics);
      const result = await doc.send(new UpdateCommand({
        TableName: naiveNames.Counters,
        Key: { pk, sk },
        UpdateExpression: `ADD ${entries.map((_, i) => `#m${i} :m${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#m${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:m${i}`, value])),
        ReturnConsumedCapacity: 'TOTAL',
      }));
      naive.writes += 1;
      naive.wcu += result.ConsumedCapacity?.CapacityUnits ?? 0;
    }
  });
  const naiveSeconds = (performance.now() - naiveStarted) / 1000;

  // EXPERIMENT (pure): write requests the product's coalescing would send if each invocation carried
  // N records (same recorded stream, re-cut into batches of N). Counter items are < 1 KB: 1 WCU per write.
  const changes = records.map((record) => ({
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    oldImage: image(record.dynamodb?.OldImage),
    newImage: image(record.dynamodb?.NewImage),
  }));
  const byBatchSize = [10, 25, 50, 100, 250, 500, 1000].map((n) => {
    let writes = 0;
    for (let i = 0; i < changes.length; i += n) writes += coalesce(changes.slice(i, i + n)).length;
    return { recordsPerInvocation: n, requestsPerCallback: round(writes / accepted, 4) };
  });

  // EXPERIMENT (DynamoDB Local): "wide" counters — one item per day holding every group as attributes,
  // one UpdateItem ADD per invocation (split only when the expression would pass DynamoDB's 4 KB limit).
  // Fewer requests, but a write is billed on the whole item's size.
  const wide = { writes: 0, wcu: 0, maxItemKb: 0 };
  for (const batch of batchesSeen) {
    const sums = new Map<string, Map<string, number>>();
    for (const group of coalesce(batch.map((record) => ({ sequenceNumber: record.dynamodb?.SequenceNumber ?? '', oldImage: image(record.dynamodb?.OldImage), newImage: image(record.dynamodb?.NewImage) })))) {
      const day = sums.get(group.key.day) ?? new Map<string, number>();
      for (const { metrics } of group.records) for (const [name, value] of Object.entries(metrics)) day.set(`${group.sk}|${name}`, (day.get(`${group.sk}|${name}`) ?? 0) + value);
      sums.set(group.key.day, day);
    }
    for (const [day, attributes] of sums) {
      const entries = [...attributes].filter(([, value]) => value !== 0);
      let chunk: Array<[string, number]> = [];
      let length = 4;
      const flush = async () => {
        if (chunk.length === 0) return;
        const result = await doc.send(new UpdateCommand({
          TableName: naiveNames.Counters,
          Key: { pk: `WIDE#${day}`, sk: '-' },
          UpdateExpression: `ADD ${chunk.map((_, i) => `#a${i} :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(chunk.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(chunk.map(([, value], i) => [`:v${i}`, value])),
          ReturnConsumedCapacity: 'TOTAL',
        }));
        wide.writes += 1;
        wide.wcu += result.ConsumedCapacity?.CapacityUnits ?? 0;
        wide.maxItemKb = Math.max(wide.maxItemKb, result.ConsumedCapacity?.CapacityUnits ?? 0);
        chunk = [];
        length = 4;
      };
      for (const entry of entries) {
        const clause = `#a${chunk.length} :v${chunk.length}, `.length;
        if (length + clause > 4000) await flush();
        chunk.push(entry);
        length += clause;
      }
      await flush();
    }
  }
  // CURVE (real aggregator, real counters adapter on DynamoDB Local, simulated clock): the recorded stream replayed
  // at 1–500 callbacks/s on one shard, cut the way Lambda cuts it — batches of `batchSize` records or
  // `batchWindow` seconds, never across a tumbling window, the window's state carried between invocations and
  // a final invocation at its end. Three windows per rate; records repeat (fresh sequence numbers) where the
  // recorded stream is shorter. Counter writes as the adapter reports them (UpdateItem requests).
  const curve = await rateCurve({
    records, accepted, batchSize, batchWindowSeconds: batchWindowMs / 1000, windowSeconds: consumer.tumblingWindowInSeconds,
    counters,
  });
  doc.destroy();

  const batches = invocations.filter((n) => n > 0);
  writeJson(out, {
    messages,
    deliveries: deliveries.length,
    accepted,
    streamRecords: records.length,
    batchSize,
    batchWindowMs,
    tumblingWindowSeconds: consumer.tumblingWindowInSeconds,
    ingestSeconds: round(ingestSeconds, 1),
    invocations: invocations.length,
    meanRecordsPerInvocation: round(batches.reduce((a, b) => a + b, 0) / Math.max(1, batches.length), 1),
    aggregated: {
      applyGroupCalls: applied.calls,
      writeRequests: applied.writes,
      wcu: applied.wcu,
      requestsPerCallback: round(applied.writes / accepted, 4),
      wcuPerCallback: round(applied.wcu / accepted, 4),
      requestsPerDelivery: round(applied.writes / deliveries.length, 4),
    },
    naive: {
      writeRequests: naive.writes,
      wcu: naive.wcu,
      seconds: round(naiveSeconds, 1),
      requestsPerCallback: round(naive.writes / accepted, 4),
      wcuPerCallback: round(naive.wcu / accepted, 4),
    },
    byRecordsPerInvocation: byBatchSize,
    byRate: curve,
    wide: {
      writeRequests: wide.writes,
      wcu: wide.wcu,
      largestWriteWcu: wide.maxItemKb,
      requestsPerCallback: round(wide.writes / accepted, 4),
      wcuPerCallback: round(wide.wcu / accepted, 4),
    },
    distinctCallbacksWritten: distinct.length,
    exact: { countedRequests: requests, expectedMessages: expected.messages, ok: requests === expected.messages },
  });
};


interface CurveInput {
  records: StreamWindowEvent['Records'];
  accepted: number;
  batchSize: number;
  batchWindowSeconds: number;
  windowSeconds: number;
  counters: ReturnType<typeof buildCountersStore>;
}

const RATES = [1, 5, 10, 50, 100, 250, 500];
const WINDOWS = 3;

const rateCurve = async ({ records, accepted, batchSize, batchWindowSeconds, windowSeconds, counters }: CurveInput) => {
  const recordsPerCallback = records.length / accepted;
  const rows: Array<{ callbacksPerSecond: number; callbacks: number; invocations: number; earlyFlushes: number; writeRequests: number; requestsPerCallback: number }> = [];
  for (const rate of RATES) {
    const shardId = `curve-${rate}-${Date.now().toString(36)}`;
    let invocations = 0;
    let earlyFlushes = 0;
    const { aggregate, applied } = meteredAggregator(counters);
    const perSecond = rate * recordsPerCallback;
    const total = Math.ceil(perSecond * windowSeconds * WINDOWS);
    let state: Record<string, string> = {};
    let window = 0;
    let batch: StreamWindowEvent['Records'] = [];
    let batchStart = 0;
    const invoke = async (final: boolean) => {
      const start = new Date(window * windowSeconds * 1000).toISOString();
      const end = new Date((window + 1) * windowSeconds * 1000).toISOString();
      const writesBefore = applied.writes;
      const answer = await aggregate({ Records: batch, shardId, window: { start, end }, state, isFinalInvokeForWindow: final });
      invocations += 1;
      if (!final && applied.writes > writesBefore) earlyFlushes += 1;
      state = answer.state;
      batch = [];
    };
    for (let i = 0; i < total; i += 1) {
      const at = i / perSecond;
      const inWindow = Math.floor(at / windowSeconds);
      if (inWindow !== window) {
        if (batch.length) await invoke(false);
        await invoke(true);
        window = inWindow;
      }
      if (batch.length >= batchSize || (batch.length > 0 && at - batchStart >= batchWindowSeconds)) await invoke(false);
      if (batch.length === 0) batchStart = at;
      const source = records[i % records.length]!;
      batch.push({ ...source, dynamodb: { ...source.dynamodb, SequenceNumber: String(10n ** 20n + BigInt(i)) } });
    }
    if (batch.length) await invoke(false);
    await invoke(true);
    const callbacks = Math.round(total / recordsPerCallback);
    rows.push({ callbacksPerSecond: rate, callbacks, invocations, earlyFlushes, writeRequests: applied.writes, requestsPerCallback: round(applied.writes / callbacks, 4) });
  }
  return rows;
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
