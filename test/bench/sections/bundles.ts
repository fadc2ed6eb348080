/**
 * Section 3: bundle size and module-init instructions per function (esbuild with serverless.yml's
 * options), the floor `node -e 0` in the same run, then the init experiments (bundle-time swaps only),
 * their first-call cost, and the per-call client CPU of the SDK against a minimal client.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { callbackQuery } from '../../support/callback-query';
import { buildBundle, functionEntries, VARIANTS, type BuiltBundle, type Variant } from '../bundle-build';
import { cpuNow, median, QUICK, RESULTS, round, size, writeJson } from '../common';
import { DynamoDBClient as MiniClient, DynamoDBDocumentClient as MiniDocumentClient, toWire } from '../experiments/mini-lib-dynamodb';
import { countInstructions, hasValgrind, INIT_ENV, pool, VALGRIND_MISSING, type Count } from '../valgrind';

const G = 1e9;
const JOBS = size('BENCH_VALGRIND_JOBS', 2, 2);
const BUNDLES = join(RESULTS, 'bundles');
const EXPERIMENTS_DIR = join(import.meta.dirname, '..', 'experiments');

const list = (name: string, full: string[], quick: string[]): string[] => {
  const raw = process.env[name];
  return raw ? raw.split(',').map((item) => item.trim()).filter(Boolean) : QUICK ? quick : full;
};

const requireScript = (file: string) => `require(${JSON.stringify(file)})`;

/** Calls the handler once with BENCH_EVENT and exits (the SDK's keep-alive sockets would hold the loop). */
const firstCallScript = (file: string) =>
  `const h=require(${JSON.stringify(file)}).handler;h(JSON.parse(process.env.BENCH_EVENT)).then((r)=>{process.stdout.write(r.statusCode+' '+r.body);process.exit(r.statusCode===200?0:3)},(e)=>{console.error(e);process.exit(2)})`;

const esmsEvent = (query: string) => ({
  version: '2.0', routeKey: 'GET /esms/{token}/sms', rawPath: '/esms/t/sms', rawQueryString: query, headers: { host: 'bench' },
  pathParameters: { token: 't' },
  requestContext: { accountId: '0', apiId: 'bench', domainName: 'bench', domainPrefix: 'bench', http: { method: 'GET', path: '/esms/t/sms', protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'eSMS' }, requestId: 'r', routeKey: 'GET /esms/{token}/sms', stage: '$default', time: '', timeEpoch: 0 },
  isBase64Encoded: false,
});

const above = (count: Count, floor: number) => (count.ok ? round((count.instructions - floor) / G, 3) : null);
const inG = (count: Count) => (count.ok ? round(count.instructions / G, 3) : null);

/** Per-call client CPU (µs) of the product's eSMS adapter over the SDK and over the minimal client. */
const perCallClientCpu = async (endpoint: string) => {
  const names = tableNames(`benchcall${Date.now().toString(36)}`);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  const sdkDoc = buildDocumentClient(endpoint);
  const miniDoc = MiniDocumentClient.from(new MiniClient({ endpoint, region: 'ddblocal', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 }));
  const stores = {
    sdk: buildEsmsStore(sdkDoc, names.Messages),
    mini: buildEsmsStore(miniDoc as unknown as DynamoDBDocumentClient, names.Messages),
  };
  const calls = size('BENCH_CLIENT_CALLS', 900, 300);
  const rounds = 3;
  let serial = 0;
  const input = () => {
    serial += 1;
    const raw = callbackQuery({ smsId: `call${serial.toString(16).padStart(8, '0')}`, status: 5, typeId: 2, sent: 1, success: 1, telco: 1, phone: `09${String(serial).padStart(8, '0')}`, price: '750.0000' });
    const { event, canonical } = parseCallbackWithIdentity(raw);
    return { tenant: DEFAULT_TENANT, event, canonical, raw, route: 'sms' as const, receivedAt: Date.now() };
  };
  // FLOOR: the same UpdateItem requests, built beforehand (the product adapter over a capturing
  // document client), POSTed with node:http keep-alive and a fixed Authorization header (DynamoDB Local
  // does not check signatures): no signing, no marshalling, no response parsing beyond the status.
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true });
  const wireBodies = async (n: number): Promise<string[]> => {
    const bodies: string[] = [];
    const capture = { send: async (command: { input: Record<string, unknown> }) => {
      bodies.push(JSON.stringify(toWire(command).input));
      return { ConsumedCapacity: { CapacityUnits: 0 } };
    } };
    const captureStore = buildEsmsStore(capture as unknown as DynamoDBDocumentClient, names.Messages);
    for (let i = 0; i < n; i += 1) await captureStore.storeCallback(input());
    return bodies;
  };
  const post = (body: string) => new Promise<number>((resolve, reject) => {
    const request = http.request({
      hostname: url.hostname, port: url.port, path: '/', method: 'POST', agent,
      headers: {
        'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.UpdateItem', 'content-length': String(Buffer.byteLength(body)),
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/ddblocal/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
  const run = async (which: 'sdk' | 'mini' | 'raw', n: number) => {
    const inputs = which === 'raw' ? [] : Array.from({ length: n }, input);
    const bodies = which === 'raw' ? await wireBodies(n) : [];
    let wcu = 0;
    const wallStart = performance.now();
    const start = cpuNow();
    if (which === 'raw') {
      for (const body of bodies) if ((await post(body)) !== 200) throw new Error('raw UpdateItem failed');
    } else {
      for (const item of inputs) {
        const result = await stores[which].storeCallback(item);
        if (result.duplicate) throw new Error('unexpected duplicate');
        wcu += result.consumedWcu ?? 0;
      }
    }
    return { cpuUs: (cpuNow() - start) / n, wallMs: (performance.now() - wallStart) / n, wcu: which === 'raw' ? Number.NaN : wcu / n };
  };
  type Row = Awaited<ReturnType<typeof run>>;
  for (const which of ['sdk', 'mini', 'raw'] as const) await run(which, QUICK ? 150 : 400);
  const results: Record<'sdk' | 'mini' | 'raw', Row[]> = { sdk: [], mini: [], raw: [] };
  for (let r = 0; r < rounds; r += 1) {
    for (const which of ['sdk', 'mini', 'raw'] as const) results[which].push(await run(which, Math.ceil(calls / rounds)));
  }
  // The experiment must be a faithful stand-in: same answers as the SDK on the product's own paths.
  const sample = input();
  const firstWrite = await stores.mini.storeCallback(sample);
  const secondWrite = await stores.mini.storeCallback(sample);
  const viaSdk = await stores.sdk.readMessagePage(DEFAULT_TENANT, sample.event.smsId, 50);
  const viaMini = await stores.mini.readMessagePage(DEFAULT_TENANT, sample.event.smsId, 50);
  const miniChecks = {
    acceptedThenDuplicate: !firstWrite.duplicate && secondWrite.duplicate,
    queryMatchesSdk: JSON.stringify(viaSdk) === JSON.stringify(viaMini) && viaMini.head?.inline.length === 1,
  };
  sdkDoc.destroy();
  miniDoc.destroy();
  agent.destroy();
  const summary = (rows: Row[]) => ({
    cpuUsPerCall: round(median(rows.map((row) => row.cpuUs)), 1),
    wallMsPerCall: round(median(rows.map((row) => row.wallMs)), 3),
    wcuPerCall: round(median(rows.map((row) => row.wcu)), 2),
    roundsCpuUs: rows.map((row) => round(row.cpuUs, 1)),
  });
  const sdk = summary(results.sdk);
  const mini = summary(results.mini);
  const raw = summary(results.raw);
  return {
    callsPerClient: calls, operation: 'storeCallback of a new single-recipient message (one conditional UpdateItem on its head, ReturnConsumedCapacity TOTAL), sequential', sdk, mini, raw, miniChecks,
    ratioSdkToMini: round(sdk.cpuUsPerCall / mini.cpuUsPerCall, 2), ratioSdkToRaw: round(sdk.cpuUsPerCall / raw.cpuUsPerCall, 2), ratioMiniToRaw: round(mini.cpuUsPerCall / raw.cpuUsPerCall, 2),
  };
};

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT;
  rmSync(BUNDLES, { recursive: true, force: true });
  mkdirSync(BUNDLES, { recursive: true });

  // 1. Every function, as serverless.yml bundles it.
  const base = VARIANTS.find((v) => v.id === 'base')!;
  const functions = functionEntries();
  const built = new Map<string, BuiltBundle>();
  for (const fn of functions) built.set(fn.name, await buildBundle(fn.entry, join(BUNDLES, `${fn.name}.js`), base));

  // 2. Experiments: bundle-time variants of a few functions.
  const experimentFunctions = list('BENCH_EXPERIMENT_FUNCTIONS', ['esmsSms', 'zaloWebhook', 'aggregator'], ['esmsSms']);
  const allVariantsFor = 'esmsSms';
  const allVariants = list('BENCH_ESMS_VARIANTS', VARIANTS.map((v) => v.id), ['esm+env-credentials', 'lazy-sdk-split', 'mini-client+no-powertools']);
  const otherVariants = list('BENCH_EXPERIMENT_VARIANTS', ['esm+env-credentials', 'mini-client+no-powertools'], []);
  const experiments: Array<{ fn: string; variant: Variant; bundle: BuiltBundle }> = [];
  for (const name of experimentFunctions) {
    const entry = functions.find((fn) => fn.name === name)!.entry;
    for (const variant of VARIANTS.filter((v) => v.id !== 'base' && (name === allVariantsFor ? allVariants : otherVariants).includes(v.id))) {
      experiments.push({ fn: name, variant, bundle: await buildBundle(entry, join(BUNDLES, 'experiments', variant.id, `${name}.js`), variant) });
    }
  }

  // The SDK client alone, with the shipped options: the part of every table-touching function's init that is the SDK's.
  const sdkAlone = await buildBundle(join(EXPERIMENTS_DIR, 'sdk-alone.ts'), join(BUNDLES, 'experiments', 'sdk-alone.js'), base);

  const sizes = functions.map((fn) => ({ function: fn.name, bytes: built.get(fn.name)!.bytes, gzipBytes: built.get(fn.name)!.gzipBytes }));
  if (!hasValgrind()) {
    writeJson(out, { skipped: VALGRIND_MISSING, sizes, experiments: experiments.map((e) => ({ function: e.fn, variant: e.variant.id, bytes: e.bundle.bytes, gzipBytes: e.bundle.gzipBytes })) });
    return;
  }

  // 3. Init instructions: floor first and last (same run), the functions, every experiment. Functions
  // bound to the same lib/wiring module bundle the same module graph (only the exported handler
  // differs), so by default one per wiring module is run; BENCH_INIT_FUNCTIONS=all runs every one.
  const wiringOf = (entry: string) => /lib\/wiring\/([\w-]+)/.exec(readFileSync(entry, 'utf8'))?.[1] ?? entry;
  const groups = new Map<string, string[]>();
  for (const fn of functions) groups.set(wiringOf(fn.entry), [...(groups.get(wiringOf(fn.entry)) ?? []), fn.name]);
  const representatives = [...groups.values()].map((names) => names[0]!);
  const requested = list('BENCH_INIT_FUNCTIONS', representatives, ['esmsSms']);
  const initFunctions = requested[0] === 'all' ? functions.map((fn) => fn.name) : requested;
  const floorJob = () => countInstructions('0', {});
  const jobs: Array<() => Promise<Count>> = [
    floorJob,
    ...initFunctions.map((name) => () => countInstructions(requireScript(built.get(name)!.file), INIT_ENV)),
    ...experiments.map((e) => () => countInstructions(requireScript(e.bundle.file), INIT_ENV)),
    () => countInstructions(requireScript(sdkAlone.file), INIT_ENV),
    floorJob,
  ];
  const counts = await pool(jobs, JOBS);
  const floors = [counts[0]!, counts.at(-1)!];
  const floor = Math.min(...floors.map((c) => c.instructions));
  const measured = new Map(initFunctions.map((name, i) => [name, counts[1 + i]!]));
  const perFunction = functions.map(({ name, entry }) => {
    const group = groups.get(wiringOf(entry))!;
    const own = measured.get(name);
    const byRepresentative = own ? undefined : group.map((other) => [other, measured.get(other)] as const).find(([, count]) => count !== undefined);
    const count = own ?? byRepresentative?.[1];
    const sizeRow = sizes.find((row) => row.function === name)!;
    return {
      ...sizeRow,
      wiring: wiringOf(entry),
      instructionsG: count ? inG(count) : null,
      aboveFloorG: count ? above(count, floor) : null,
      measuredAs: own ? 'itself' : byRepresentative ? `${byRepresentative[0]} (same wiring; bundle ${sizeRow.bytes - sizes.find((row) => row.function === byRepresentative[0])!.bytes >= 0 ? '+' : ''}${sizeRow.bytes - sizes.find((row) => row.function === byRepresentative[0])!.bytes} B)` : 'not measured',
      ...(count?.error ? { error: count.error } : {}),
    };
  });
  const experimentRows = experiments.map((e, i) => {
    const count = counts[1 + initFunctions.length + i]!;
    const baseline = perFunction.find((row) => row.function === e.fn);
    return {
      function: e.fn, variant: e.variant.id, label: e.variant.label, bytes: e.bundle.bytes, gzipBytes: e.bundle.gzipBytes,
      instructionsG: inG(count), aboveFloorG: above(count, floor),
      savedVsBaseG: baseline?.instructionsG != null && count.ok ? round(baseline.instructionsG - count.instructions / G, 3) : null,
      ...(count.error ? { error: count.error } : {}),
    };
  });

  const sdkAloneCount = counts.at(-2)!;
  const sdkAloneRow = {
    bytes: sdkAlone.bytes, gzipBytes: sdkAlone.gzipBytes, instructionsG: inG(sdkAloneCount), aboveFloorG: above(sdkAloneCount, floor),
    ...(sdkAloneCount.error ? { error: sdkAloneCount.error } : {}),
  };

  // 4. First call: init + one accepted eSMS callback on DynamoDB Local, minus init alone.
  let firstCall: unknown = { skipped: 'no DynamoDB Local endpoint (BENCH_DYNAMO_ENDPOINT)' };
  let perCall: unknown = firstCall;
  if (endpoint) {
    const names = tableNames('benchinit');
    const admin = localClient(endpoint);
    await ensureTables(admin, names);
    admin.destroy();
    const firstCallVariants = list('BENCH_FIRST_CALL_VARIANTS', ['base', 'esm', 'esm+env-credentials', 'lazy-sdk-split', 'mini-client+no-powertools'], ['base', 'mini-client+no-powertools']);
    const fileOf = (variant: string) => (variant === 'base' ? built.get('esmsSms')!.file : experiments.find((e) => e.fn === 'esmsSms' && e.variant.id === variant)?.bundle.file);
    const rows = firstCallVariants.filter((v) => fileOf(v) !== undefined && (v === 'base' ? measured.has('esmsSms') : true));
    const localEnv = { ...INIT_ENV, DYNAMODB_ENDPOINT: endpoint, MESSAGES_TABLE: names.Messages, COUNTERS_TABLE: names.Counters, REGISTRY_TABLE: names.Registry, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };
    const stamp = Date.now().toString(16);
    // Init alone is taken from the runs above (the prescribed env); the local env adds only DYNAMODB_ENDPOINT
    // and the table names (≤ 1 % apart when both were measured), which saves a valgrind run per variant.
    const initOf = (variant: string): Count | undefined =>
      variant === 'base' ? measured.get('esmsSms') : counts[1 + initFunctions.length + experiments.findIndex((e) => e.fn === 'esmsSms' && e.variant.id === variant)];
    const callJobs = rows.map((variant, i) => {
      const query = callbackQuery({ smsId: `first${stamp}${i}`, status: 5, typeId: 2, sent: 1, success: 1, telco: 1, phone: '0901000000', price: '750.0000' });
      const env = { ...localEnv, BENCH_EVENT: JSON.stringify(esmsEvent(query)) };
      return () => countInstructions(firstCallScript(fileOf(variant)!), env);
    });
    const callCounts = await pool(callJobs, JOBS);
    firstCall = rows.map((variant, i) => {
      const init = initOf(variant);
      const both = callCounts[i]!;
      return {
        variant,
        initG: init ? inG(init) : null, initAboveFloorG: init ? above(init, floor) : null,
        initPlusFirstCallG: inG(both), initPlusFirstCallAboveFloorG: above(both, floor),
        firstCallG: init?.ok && both.ok ? round((both.instructions - init.instructions) / G, 3) : null,
        answer: both.stdout.slice(0, 80),
        ...(init?.error || both.error ? { error: init?.error ?? both.error } : {}),
      };
    });
    perCall = await perCallClientCpu(endpoint);
  }

  writeJson(out, {
    floorG: round(floor / G, 4),
    floorsG: floors.map((c) => inG(c)),
    env: Object.keys(INIT_ENV),
    perFunction,
    experiments: experimentRows,
    sdkAlone: sdkAloneRow,
    firstCall,
    perCall,
    largestEsmsSms: built.get('esmsSms')?.largest,
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
