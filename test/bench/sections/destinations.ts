/**
 * Section 15: event destinations. The delivery function's work (lib/destinations/deliver.ts with the real
 * destination store on DynamoDB Local, the real token key ring, DNS check and HTTP client) delivering
 * signed events to a receiver in another process that answers 200: CPU per delivered event, deliveries per
 * second on this machine, and beside them the floor, a bare `postEvent` of the same body to the same
 * receiver (no store, no signing). The cost per million deliveries on AWS is computed from the requests the
 * run made, at ap-southeast-1 prices (docs/decisions.md, "Event destinations").
 */
import '../../../infra/local/quiet';
import { spawn } from 'node:child_process';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { buildDeliveryHandler } from '../../../lib/destinations/deliver';
import { makeEvent, type DeliveryTask } from '../../../lib/destinations/events';
import { LOCAL_DEV_TOKEN_KEY, open, seal, tokenKey } from '../../../lib/seal';
import { destinationSealContext } from '../../../lib/table/destinations';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildDestinationStore, newDestinationId } from '../../../lib/store/destinations';
import { resolveAll } from '../../../lib/webhook-client/dns';
import { postEvent } from '../../../lib/webhook-client/post';
import { cpuNow, QUICK, round, writeJson } from '../common';

const EVENTS = QUICK ? 300 : 3000;
/** Messages of one SQS batch (the function's batch size) and in flight at once (its concurrency). */
const BATCH = 10;

/** ap-southeast-1 list prices (USD), December 2026. */
const PRICE = { sqsPerMillion: 0.4, lambdaPerMillion: 0.2, lambdaGbSecond: 0.0000133334, rruPerMillion: 0.1425, wruPerMillion: 0.7125 };

const RECEIVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200); res.end('ok'); }); });
server.keepAliveTimeout = 1;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const tables = tableNames(`bds${Date.now().toString(36)}`);
  const client = localClient(endpoint);
  await ensureTables(client, tables);
  client.destroy();
  const doc = buildDocumentClient(endpoint);
  const requests: Record<string, number> = {};
  doc.middlewareStack.add((next, context) => async (args) => {
    requests[String(context.commandName)] = (requests[String(context.commandName)] ?? 0) + 1;
    return next(args);
  }, { step: 'initialize', name: 'benchRequests' });

  const receiver = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => receiver.once('message', (message) => resolve(Number(message))));
  const url = `http://127.0.0.1:${port}/hook`;

  const keys = [tokenKey(LOCAL_DEV_TOKEN_KEY)];
  const store = buildDestinationStore(doc, tables.Messages);
  const id = newDestinationId();
  const now = Date.now();
  await store.create({
    tenant: 'bench', id, url, enabled: true, createdAt: now, updatedAt: now,
    secret: seal(keys, `whsec_${Buffer.alloc(32, 7).toString('base64')}`, destinationSealContext('bench', id, 'secret')),
  });
  const handle = buildDeliveryHandler({
    store,
    open: (sealed, context) => open(keys, sealed, context),
    enqueue: async () => { throw new Error('the receiver answers 200: nothing is queued again'); },
    publish: async () => ({ logged: 0, queued: 0 }),
    post: postEvent,
    resolve: resolveAll,
    policy: { allowLocal: true },
    schedule: [5],
    now: Date.now,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    concurrency: BATCH,
  });
  const body = (i: number) => makeEvent(`evt_bench${i}`, 'esms.message.updated', now, {
    smsId: `bench-${i}`, typeId: 2, channel: 'sms', status: 5, statusName: 'sent', final: true, expired: false,
    totals: { receivers: 1, sent: 1, success: 1, failed: 0 }, price: 850, telco: 'viettel', source: 'callback', version: 3,
  });
  const record = (i: number) => {
    const task: DeliveryTask = { tenant: 'bench', destination: id, event: body(i), attempt: 1 };
    return { messageId: `m${i}`, body: JSON.stringify(task) };
  };

  const run = async (label: string, work: (i: number) => Promise<void>) => {
    // Warm: JIT, sockets, the engine's first pages.
    for (let i = 0; i < 100; i += BATCH) await work(-1 - i);
    const cpu0 = cpuNow();
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH) await work(i);
    const seconds = (performance.now() - t0) / 1000;
    return { label, events: EVENTS, cpuMsPerEvent: round((cpuNow() - cpu0) / 1000 / EVENTS, 3), perSecond: round(EVENTS / seconds, 0), seconds: round(seconds, 2) };
  };

  let failures = 0;
  const delivery = await run('delivery function (store, DNS check, signing, POST, attempt write)', async (start) => {
    const answer = await handle({ Records: Array.from({ length: BATCH }, (_, k) => record(start * BATCH + k)) } as never);
    failures += answer.batchItemFailures.length;
  });
  const counted = { ...requests };
  const floor = await run('floor: bare POST of the same body, 10 at once', async (start) => {
    await Promise.all(Array.from({ length: BATCH }, (_, k) => postEvent({
      url: new URL(url), address: '127.0.0.1', body: body(start * BATCH + k).body, headers: { 'content-type': 'application/json' }, timeoutMs: 15_000,
    })));
  });
  receiver.kill();
  doc.destroy();

  // Requests per delivery of the measured run (the warm-up's share removed by scaling to all deliveries made).
  const delivered = EVENTS + 100;
  const getPer = (counted.GetItemCommand ?? 0) / delivered;
  const writePer = ((counted.PutItemCommand ?? 0) + (counted.UpdateItemCommand ?? 0)) / delivered;
  const lambdaSeconds = 0.5; // a receiver answering in ~300 ms plus the writes, billed per invocation of 10 side by side
  const cost = {
    sqs: round((0.3 * PRICE.sqsPerMillion), 3),
    lambda: round((0.1 * PRICE.lambdaPerMillion) + (100_000 * lambdaSeconds * 0.25 * PRICE.lambdaGbSecond), 3),
    dynamodb: round(getPer * PRICE.rruPerMillion + writePer * PRICE.wruPerMillion + PRICE.wruPerMillion, 3),
  };
  writeJson(out, {
    delivery, floor, ratio: round(delivery.cpuMsPerEvent / floor.cpuMsPerEvent, 2), failures,
    requestsPerDelivery: { get: round(getPer, 2), writes: round(writePer, 2) },
    costPerMillion: { ...cost, total: round(cost.sqs + cost.lambda + cost.dynamodb, 2) },
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
