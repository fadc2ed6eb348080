/**
 * Section 5: end-to-end throughput of the local stack (HTTP front door → the real eSMS handler module →
 * DynamoDB Local, aggregator polling the stream as configured in serverless.yml), against raw PutItem
 * on the same engine at the same concurrency, same run.
 */
import '../../../infra/local/quiet';
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { startStack } from '../../../infra/local/stack';
import { ensureTables, tableNames, type TableNames } from '../../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import type { EsmsRoute } from '../../../lib/esms/channels';
import { callbackWorkload, type Delivery } from '../../support/callback-load';
import { cpuNow, percentile, processCpuMs, QUICK, round, runLimited, size, writeJson } from '../common';
import { BENCH_ENV, BENCH_TOKEN } from '../stack-env';

const JVM = process.env.BENCH_DYNAMO_PID ? Number(process.env.BENCH_DYNAMO_PID) : undefined;

/** CPU spent per operation by this Node process (client, server, handler, poller) and by the engine's JVM. */
const cpuMeter = () => {
  const node0 = cpuNow();
  const jvm0 = processCpuMs(JVM);
  return (operations: number) => ({
    nodeCpuUsPerOp: round((cpuNow() - node0) / operations, 0),
    engineCpuUsPerOp: JVM === undefined ? null : round(((processCpuMs(JVM) - jvm0) * 1000) / operations, 0),
  });
};

const send = async (base: string, deliveries: Delivery[], concurrency: number) => {
  const latencies: number[] = new Array(deliveries.length);
  const statuses: Record<string, number> = {};
  const meter = cpuMeter();
  const started = performance.now();
  await runLimited(deliveries, concurrency, async ({ route, query }, index) => {
    const t0 = performance.now();
    const response = await fetch(`${base}/esms/${BENCH_TOKEN}/${route}?${query}`);
    await response.arrayBuffer();
    latencies[index] = performance.now() - t0;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  });
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    concurrency, deliveries: deliveries.length, seconds: round(seconds, 2), perSecond: round(deliveries.length / seconds, 0),
    p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2), statuses, ...meter(deliveries.length),
  };
};

/** The product's write alone (adapter → DynamoDB Local, no HTTP, no handler), on tables no poller reads. */
const adapterWrites = async (endpoint: string, names: TableNames, deliveries: Delivery[], concurrency: number) => {
  const doc = buildDocumentClient(endpoint);
  const store = buildEsmsStore(doc, names.Messages);
  const meter = cpuMeter();
  const started = performance.now();
  await runLimited(deliveries, concurrency, async ({ route, query }) => {
    const { event, canonical } = parseCallbackWithIdentity(query);
    await store.storeCallback({ tenant: DEFAULT_TENANT, event, canonical, raw: query, route: route as EsmsRoute, receivedAt: Date.now() });
  });
  const seconds = (performance.now() - started) / 1000;
  doc.destroy();
  return { concurrency, writes: deliveries.length, perSecond: round(deliveries.length / seconds, 0), ...meter(deliveries.length) };
};

const rawPuts = async (endpoint: string, table: string, count: number, concurrency: number) => {
  const client = localClient(endpoint);
  const filler = randomBytes(700).toString('base64').slice(0, 900); // ≈ 1 KB items
  const latencies: number[] = new Array(count);
  const prefix = randomBytes(4).toString('hex');
  const meter = cpuMeter();
  const started = performance.now();
  await runLimited(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const t0 = performance.now();
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `RAW#${prefix}#${i}` }, sk: { S: '-' }, data: { S: filler }, n: { N: String(i) } } }));
    latencies[i] = performance.now() - t0;
  });
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { concurrency, puts: count, itemBytes: filler.length + 40, seconds: round(seconds, 2), perSecond: round(count / seconds, 0), p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2), ...meter(count) };
};

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const stamp = Date.now().toString(36);
  // Every table first: DynamoDB Local takes writes to a stream-enabled table several times slower when
  // the table was created after the engine had already stored many stream records.
  const stack = await startStack({ endpoint, tablePrefix: `e2e${stamp}`, env: BENCH_ENV });
  const adapterTables = tableNames(`e2eadapter${stamp}`);
  const rawTable = `e2e${stamp}-raw`;
  const streamTable = `e2e${stamp}-rawstream`;
  const admin = localClient(endpoint);
  for (const [name, stream] of [[rawTable, false], [streamTable, true]] as const) {
    await admin.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }));
  }
  await ensureTables(admin, adapterTables);
  admin.destroy();

  const messages = size('BENCH_E2E_MESSAGES', 250, 80);
  const levels = (process.env.BENCH_E2E_CONCURRENCY ?? '16,4').split(',').map(Number);
  // Warm-up: loads the handler modules (a cold start each) and warms the JIT on both sides, the engine's
  // included (its throughput keeps climbing for a few thousand requests).
  await send(stack.url, callbackWorkload(QUICK ? 60 : 150, 7, `warm${stamp}-`).deliveries, 8);
  await rawPuts(endpoint, rawTable, QUICK ? 300 : 1500, 8);

  const runs = [];
  for (const [i, concurrency] of levels.entries()) {
    const { deliveries } = callbackWorkload(messages, 100 + i, `e2e${stamp}c${concurrency}-`);
    // Raw puts before and after the e2e run: the ratio uses their mean, so engine drift shows instead of biasing it.
    const rawBefore = await rawPuts(endpoint, rawTable, deliveries.length, concurrency);
    const e2e = await send(stack.url, deliveries, concurrency);
    const rawAfter = await rawPuts(endpoint, rawTable, deliveries.length, concurrency);
    const raw = {
      ...rawAfter,
      perSecond: round((rawBefore.perSecond + rawAfter.perSecond) / 2, 0),
      p50Ms: round((rawBefore.p50Ms + rawAfter.p50Ms) / 2, 2),
      p99Ms: round((rawBefore.p99Ms + rawAfter.p99Ms) / 2, 2),
      nodeCpuUsPerOp: round((rawBefore.nodeCpuUsPerOp + rawAfter.nodeCpuUsPerOp) / 2, 0),
      engineCpuUsPerOp: rawBefore.engineCpuUsPerOp === null || rawAfter.engineCpuUsPerOp === null ? null : round((rawBefore.engineCpuUsPerOp + rawAfter.engineCpuUsPerOp) / 2, 0),
      beforePerSecond: rawBefore.perSecond,
      afterPerSecond: rawAfter.perSecond,
    };
    runs.push({ concurrency, e2e, raw, ratio: round(e2e.perSecond / raw.perSecond, 3) });
  }
  // Where the engine's time goes, at the first concurrency level: the same raw puts on a table with a
  // stream, and the product's conditional UpdateItem (GSI + stream) without HTTP, handler or poller.
  const level = levels[0]!;
  const { deliveries: sample } = callbackWorkload(Math.ceil(messages / 2), 999, `e2edec${stamp}-`);
  const decomposition = {
    concurrency: level,
    rawPlain: await rawPuts(endpoint, rawTable, sample.length, level),
    rawWithStream: await rawPuts(endpoint, streamTable, sample.length, level),
    adapterOnly: await adapterWrites(endpoint, adapterTables, sample, level),
  };
  const poller = stack.poller?.stats;
  await stack.stop();
  writeJson(out, { messagesPerRun: messages, runs, decomposition, aggregatorInvocations: poller?.invocations, aggregatedRecords: poller?.records });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
