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
import { callbackWorkload, type Delivery } from '../../support/callback-load';
import { cpuNow, percentile, processCpuMs, round, runLimited, size, writeJson } from '../common';
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
  const stack = await startStack({ endpoint, tablePrefix: `e2e${stamp}`, env: BENCH_ENV });
  const rawTable = `e2e${stamp}-raw`;
  const admin = localClient(endpoint);
  await admin.send(new CreateTableCommand({
    TableName: rawTable, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  admin.destroy();

  const messages = size('BENCH_E2E_MESSAGES', 300, 80);
  const levels = (process.env.BENCH_E2E_CONCURRENCY ?? '16,4').split(',').map(Number);
  // Warm-up: loads the handler modules (a cold start each) and warms the JIT on both sides.
  await send(stack.url, callbackWorkload(60, 7, `warm${stamp}-`).deliveries, 8);
  await rawPuts(endpoint, rawTable, 300, 8);

  const runs = [];
  for (const [i, concurrency] of levels.entries()) {
    const { deliveries } = callbackWorkload(messages, 100 + i, `e2e${stamp}c${concurrency}-`);
    const raw = await rawPuts(endpoint, rawTable, deliveries.length, concurrency);
    const e2e = await send(stack.url, deliveries, concurrency);
    runs.push({ concurrency, e2e, raw, ratio: round(e2e.perSecond / raw.perSecond, 3) });
  }
  const poller = stack.poller?.stats;
  await stack.stop();
  writeJson(out, { messagesPerRun: messages, runs, aggregatorInvocations: poller?.invocations, aggregatedRecords: poller?.records });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
