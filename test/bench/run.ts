/**
 * `npm run bench`: the performance figures of this project, measured, with their floors, in one run.
 * Each section runs in a child process of its own (fresh module state, as a Lambda instance would have);
 * one DynamoDB Local (in memory) serves every section that needs the engine. Prints the tables and writes
 * bench-results/latest.json. Sizes: BENCH_QUICK=1 for a smoke run; per-section knobs are in each section.
 * Subsets: BENCH_SECTIONS=1,3,5 (sections 1 and 2 run together).
 */
import '../../infra/local/quiet';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { assertJava, localClient, startDynamoLocal, type LocalDynamo } from '../../infra/local/dynamodb';
import { cpuSnapshot, machineFacts, othersShare, QUICK, RESULTS, round, runLimited, writeJson } from './common';
import { heading, printAggregation, printBundles, printCpu, printE2e, printLag, printPeer, printReconcile, printTargets, printWcu, printZaloReceipt, printSearch, printRegistry, printConsole, printRequests, printDestinations } from './report';

interface Section {
  id: string;
  numbers: number[];
  title: string;
  file: string;
  args?: string[];
  dynamo: 'none' | 'optional' | 'required';
}

const SECTIONS: Section[] = [
  { id: 'cpu', numbers: [1, 2], title: '1–2. Warm pipeline CPU per request, engine excluded', file: 'cpu.ts', dynamo: 'none' },
  { id: 'bundles', numbers: [3], title: '3. Bundle size and module-init instructions per function', file: 'bundles.ts', dynamo: 'optional' },
  { id: 'wcu', numbers: [4], title: '4. DynamoDB write units per callback (real adapter, DynamoDB Local)', file: 'wcu.ts', dynamo: 'required' },
  { id: 'e2e', numbers: [5], title: '5. End-to-end throughput on the local stack vs raw PutItem', file: 'e2e.ts', dynamo: 'required' },
  { id: 'aggregation', numbers: [6], title: '6. Aggregation cost: counter writes per callback', file: 'aggregation.ts', dynamo: 'required' },
  { id: 'lag-yml', numbers: [7], title: '7. Stream lag, batch window from serverless.yml', file: 'lag.ts', args: ['yml'], dynamo: 'required' },
  { id: 'lag-0', numbers: [7], title: '7. Stream lag, batch window 0', file: 'lag.ts', args: ['0'], dynamo: 'required' },
  { id: 'reconcile', numbers: [8], title: '8. Reconciliation throughput against the fake eSMS (real adapter, DynamoDB Local)', file: 'reconcile.ts', dynamo: 'required' },
  // The peer's script starts its own DynamoDB Local and packages the project itself.
  { id: 'peer', numbers: [9], title: '9. Side by side with the reference Powertools peer (../shared/peer/side-by-side.mjs)', file: 'peer.ts', dynamo: 'none' },
  { id: 'zalo-receipt', numbers: [10], title: '10. The largest Zalo receipt (msg_ids filling 128 KiB) through the webhook on DynamoDB Local', file: 'zalo-receipt.ts', dynamo: 'required' },
  { id: 'search', numbers: [11], title: '11. Search latency on 100,000 stored messages (phone, RequestId, day; DynamoDB Local)', file: 'search.ts', dynamo: 'required' },
  { id: 'registry', numbers: [12], title: '12. Tenant registry reads per 1,000 callbacks (real resolver and adapter, DynamoDB Local, simulated clock)', file: 'registry.ts', dynamo: 'required' },
  { id: 'requests', numbers: [14], title: '14. SDK CPU per DynamoDB request: the eSMS store\'s own requests for the fixture lines vs a peer-like PutCommand (fresh processes, DynamoDB Local)', file: 'requests.ts', dynamo: 'required' },
  { id: 'destinations', numbers: [15], title: '15. Event destinations: CPU per delivered event, deliveries per second, cost per million (delivery function on DynamoDB Local, a receiver answering 200)', file: 'destinations.ts', dynamo: 'required' },
  { id: 'console', numbers: [13], title: '13. Web console: bundle size (gzip) and time to first render of the messages page on seeded data (chromium, local stack)', file: 'console.ts', dynamo: 'required' },
];

const wanted = (process.env.BENCH_SECTIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const selected = SECTIONS.filter((s) => wanted.length === 0 || wanted.some((w) => w === s.id || s.numbers.includes(Number(w))));

const runChild = (section: Section, out: string, env: Record<string, string>): Promise<{ ok: boolean; log: string }> =>
  new Promise((resolve) => {
    const logFile = join(RESULTS, 'logs', `${section.id}.log`);
    mkdirSync(join(RESULTS, 'logs'), { recursive: true });
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sections', section.file), out, ...(section.args ?? [])], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code) => {
      log.end(() => resolve({ ok: code === 0, log: logFile }));
    });
  });

/** JIT-warms a fresh engine so the first section does not pay for it. */
const warmEngine = async (endpoint: string) => {
  const client = localClient(endpoint);
  await client.send(new CreateTableCommand({
    TableName: 'bench-warmup', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await runLimited(Array.from({ length: QUICK ? 300 : 800 }, (_, i) => i), 16, async (i) => {
    await client.send(new PutItemCommand({ TableName: 'bench-warmup', Item: { pk: { S: `w${i}` }, v: { S: 'x'.repeat(800) } } }));
  });
  client.destroy();
};

const main = async () => {
  const started = Date.now();
  const machine = machineFacts();
  const results: Record<string, unknown> = {};
  const meta: Record<string, { seconds: number; others: number; loadBefore: string; loadAfter: string; ok: boolean; log?: string }> = {};
  console.log(`# npm run bench — ${new Date(started).toISOString()}${QUICK ? ' (BENCH_QUICK=1: smoke sizes)' : ''}`);
  console.log(`machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}, ${machine.valgrind}, java: ${machine.java}`);
  console.log(`load average at start: ${cpuSnapshot().load}`);

  // A fresh engine per section: DynamoDB Local carries state across sections (notably, a stream-enabled
  // table created after many stream records were stored takes writes several times slower).
  let dynamo: LocalDynamo | undefined;
  let dynamoProblem: string | undefined;
  const freshDynamo = async () => {
    await dynamo?.stop();
    dynamo = undefined;
    if (dynamoProblem) return;
    try {
      assertJava();
      dynamo = await startDynamoLocal();
      await warmEngine(dynamo.endpoint);
    } catch (error) {
      dynamoProblem = error instanceof Error ? error.message : String(error);
    }
  };

  for (const section of selected) {
    if (section.dynamo !== 'none') await freshDynamo();
    if (section.dynamo === 'required' && !dynamo) {
      console.log(`${heading(section.title)}SKIPPED: DynamoDB Local is unavailable (${dynamoProblem})`);
      results[section.id] = { skipped: dynamoProblem };
      continue;
    }
    const out = join(RESULTS, 'sections', `${section.id}.json`);
    const extra = dynamo ? [dynamo.process.pid!] : [];
    const before = cpuSnapshot(extra);
    const t0 = performance.now();
    const { ok, log } = await runChild(section, out, dynamo ? { BENCH_DYNAMO_ENDPOINT: dynamo.endpoint, BENCH_DYNAMO_PID: String(dynamo.process.pid) } : {});
    const after = cpuSnapshot(extra);
    const info = { seconds: (performance.now() - t0) / 1000, others: othersShare(before, after), loadBefore: before.load, loadAfter: after.load, ok };
    meta[section.id] = { ...info, others: round(info.others, 3), seconds: round(info.seconds, 1), ...(ok ? {} : { log }) };
    if (!ok) {
      const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n');
      console.log(`${heading(section.title, info)}FAILED (log: ${log}):\n${tail}`);
      const yml = results['lag-yml'] as { failed?: boolean; skipped?: string } | undefined;
      if (section.id === 'lag-0' && yml && !yml.failed && !yml.skipped) console.log(printLag([yml]));
      results[section.id] = { failed: true, log };
      continue;
    }
    const data: unknown = JSON.parse(readFileSync(out, 'utf8'));
    results[section.id] = data;
    if (section.id === 'lag-0' && results['lag-yml'] && !(results['lag-yml'] as { failed?: boolean }).failed) {
      const yml = meta['lag-yml']!;
      const both = { seconds: yml.seconds + info.seconds, others: (yml.others * yml.seconds + info.others * info.seconds) / (yml.seconds + info.seconds), loadBefore: yml.loadBefore, loadAfter: info.loadAfter };
      console.log(`${heading('7. Stream lag: HTTP 200 → counter reflects the callback (local stack)', both)}${printLag([results['lag-yml'], data])}`);
      continue;
    }
    if (section.id === 'lag-yml' && selected.some((s) => s.id === 'lag-0')) continue; // printed with lag-0
    const printer = { cpu: printCpu, bundles: printBundles, wcu: printWcu, e2e: printE2e, aggregation: printAggregation, reconcile: printReconcile, peer: printPeer, 'zalo-receipt': printZaloReceipt, search: printSearch, registry: printRegistry, console: printConsole, requests: printRequests, destinations: printDestinations, 'lag-yml': (d: unknown) => printLag([d]), 'lag-0': (d: unknown) => printLag([d]) }[section.id]!;
    console.log(`${heading(section.title, info)}${printer(data as never)}`);
  }
  await dynamo?.stop();
  console.log(`${heading('Targets')}${printTargets(results as never)}`);
  const seconds = (Date.now() - started) / 1000;
  writeJson(join(RESULTS, 'latest.json'), { startedAt: new Date(started).toISOString(), seconds: round(seconds, 1), quick: QUICK, machine, sections: meta, results });
  console.log(`\ntotal ${seconds.toFixed(0)} s; results in bench-results/latest.json (per-section JSON and logs in bench-results/sections, bench-results/logs)`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
