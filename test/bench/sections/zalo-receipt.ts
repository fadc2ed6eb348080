/**
 * Section 10: the largest Zalo receipt (a `user_seen_message` naming as many msg_ids as fit the 128 KiB
 * body limit) through the real webhook ingestion and adapters on DynamoDB Local: latency per request (wall
 * clock, answer included), the DynamoDB requests it sends, its write units and the CPU it takes. Zalo wants
 * a 200 within 2 s; before the one-item receipt, 500 ids took 9.3 s and 2,000 took 49.5 s.
 */
import '../../../infra/local/quiet';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildZaloEventStore } from '../../../lib/store/zalo-events';
import { buildZaloStateStore } from '../../../lib/store/zalo-state';
import { buildZaloIngest } from '../../../lib/inbound/zalo';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET } from '../../support/fixtures';
import { signedHeaders } from '../../zalo/sign';
import { largestReceipt } from '../../zalo/largest-receipt';
import { cpuNow, percentile, QUICK, round, writeJson } from '../common';

const RUNS = QUICK ? 5 : 20;

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const tables = tableNames(`bzr${Date.now().toString(36)}`);
  const client = localClient(endpoint);
  await ensureTables(client, tables);
  const doc = buildDocumentClient(endpoint);
  const requests: Array<{ command: string; wcu: number }> = [];
  doc.middlewareStack.add((next, context) => async (args) => {
    const result = await next(args);
    const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
    requests.push({ command: String(context.commandName), wcu: output.ConsumedCapacity?.CapacityUnits ?? 0 });
    return result;
  }, { step: 'initialize', name: 'benchRequests' });
  let now = 0;
  const ingest = buildZaloIngest({
    apps: { find: async (appId) => (appId === ZALO_FIXTURE_APP_ID ? { appId, tenant: 'default', secret: ZALO_FIXTURE_SECRET } : undefined) },
    pending: { keep: async () => ({ kept: false, pending: false }) },
    revocations: { markRevoked: async () => false },
    events: buildZaloEventStore(doc, tables.Messages),
    state: buildZaloStateStore(doc, tables.Messages),
    rejected: { add: async () => undefined },
    now: () => now,
    telemetry: { count: () => undefined },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });

  const latencies: number[] = [];
  const cpu: number[] = [];
  const perRequest: number[] = [];
  let ids = 0;
  let bytes = 0;
  for (let run = -1; run < RUNS; run += 1) {
    now = Date.now();
    const receipt = largestReceipt(now - 1000, `bench-${run}`);
    ids = receipt.msgIds.length;
    bytes = Buffer.byteLength(receipt.rawBody);
    const event = { headers: signedHeaders(receipt.rawBody), body: receipt.rawBody, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
    requests.length = 0;
    const c0 = cpuNow();
    const t0 = performance.now();
    const answer = await ingest(event);
    const ms = performance.now() - t0;
    if (answer.statusCode !== 200) throw new Error(`largest receipt answered ${answer.statusCode}: ${answer.body}`);
    if (run < 0) continue; // warm-up: module init and the first connection
    latencies.push(ms);
    cpu.push((cpuNow() - c0) / 1000);
    perRequest.push(requests.length);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  writeJson(out, {
    ids,
    bytes,
    runs: RUNS,
    latencyMs: { p50: round(percentile(sorted, 50), 1), p95: round(percentile(sorted, 95), 1), max: round(sorted.at(-1)!, 1) },
    cpuMs: { p50: round(percentile([...cpu].sort((a, b) => a - b), 50), 1) },
    dynamoRequestsPerReceipt: [...new Set(perRequest)],
    commands: requests.map((request) => request.command),
    wcu: requests.reduce((sum, request) => sum + request.wcu, 0),
    budgetMs: 2000,
  });
  client.destroy();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
