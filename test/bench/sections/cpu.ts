/**
 * Sections 1 and 2: CPU per request of the warm inbound pipelines with the engine excluded by design
 * (stores resolve immediately, telemetry and log are no-ops), against a floor measured in the same run.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { buildHttpApiEvent } from '../../../infra/local/apigw';
import { routeOfType, type EsmsRoute } from '../../../lib/esms/channels';
import { buildEsmsIngest } from '../../../lib/inbound/esms';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { buildZaloIngest } from '../../../lib/inbound/zalo';
import { esmsCallbackLines, zaloFixtures, ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET } from '../../support/fixtures';
import { cpuNow, median, round, size, writeJson } from '../common';

const ITERATIONS = size('BENCH_CPU_ITERATIONS', 20_000, 6_000);
const ROUNDS = size('BENCH_CPU_ROUNDS', 5, 3);
const WARMUP = size('BENCH_CPU_WARMUP', 20_000, 6_000);

const noop = () => undefined;
const log = { debug: noop, info: noop, warn: noop, error: noop };
const telemetry = { count: noop };

let sink = 0;

/** µs of CPU per call over `n` calls of `work(i)` (awaited when it returns a promise). */
const measureAsync = async (n: number, work: (i: number) => Promise<unknown>): Promise<number> => {
  const start = cpuNow();
  for (let i = 0; i < n; i += 1) await work(i);
  return (cpuNow() - start) / n;
};
const measureSync = (n: number, work: (i: number) => unknown): number => {
  const start = cpuNow();
  for (let i = 0; i < n; i += 1) if (work(i)) sink += 1;
  return (cpuNow() - start) / n;
};

interface Series { median: number; min: number; rounds: number[] }
const series = (values: number[]): Series => ({ median: round(median(values), 3), min: round(Math.min(...values), 3), rounds: values.map((v) => round(v, 3)) });

const statusHistogram = (statuses: number[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

const esmsSection = async () => {
  const lines = esmsCallbackLines();
  const events = lines.map((query) => {
    let route: EsmsRoute = 'sms';
    try {
      route = routeOfType(parseCallbackWithIdentity(query).event.typeId);
    } catch { /* a rejected line: any route exercises the rejection path */ }
    const event = buildHttpApiEvent(
      { method: 'GET', url: `/esms/t/${route}?${query}`, headers: { host: 'bench', 'user-agent': 'eSMS' }, body: Buffer.alloc(0), sourceIp: '10.0.0.1' },
      `GET /esms/{token}/${route}`, { token: 't' },
    );
    return { route, event };
  });
  const ingest = buildEsmsIngest({
    tenantOfToken: (token) => (token === 't' ? DEFAULT_TENANT : undefined),
    store: { storeCallback: async () => ({ duplicate: false, consumedWcu: 1, headChanged: true }) },
    rejected: { add: async () => undefined },
    now: Date.now,
    telemetry,
    log,
  });
  const handlers = events.map(({ route, event }) => {
    const handle = ingest(route);
    return () => handle(event);
  });
  const statuses: number[] = [];
  for (const handle of handlers) statuses.push((await handle()).statusCode ?? 0);
  const queries = lines;
  const pipeline = (i: number) => handlers[i % handlers.length]!();
  const parser = (i: number) => {
    try {
      return parseCallbackWithIdentity(queries[i % queries.length]!).canonical.length;
    } catch {
      return 0;
    }
  };
  const floor = (i: number) => JSON.stringify(Object.fromEntries(new URLSearchParams(queries[i % queries.length]!))).length;

  await measureAsync(WARMUP, pipeline);
  measureSync(WARMUP, parser);
  measureSync(WARMUP, floor);
  const p: number[] = []; const q: number[] = []; const f: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    p.push(await measureAsync(ITERATIONS, pipeline));
    q.push(measureSync(ITERATIONS, parser));
    f.push(measureSync(ITERATIONS, floor));
  }
  const result = { pipeline: series(p), parser: series(q), floor: series(f) };
  return {
    ...result,
    ratioPipelineToFloor: round(result.pipeline.median / result.floor.median, 2),
    ratioParserToFloor: round(result.parser.median / result.floor.median, 2),
    lines: lines.length,
    iterationsPerRound: ITERATIONS,
    rounds: ROUNDS,
    statuses: statusHistogram(statuses),
  };
};

const zaloSection = async () => {
  const fixtures = zaloFixtures().filter((fixture) => !fixture.name.includes('bad-signature'));
  let now = 0;
  const ingest = buildZaloIngest({
    apps: { find: async (appId) => (appId === ZALO_FIXTURE_APP_ID ? { appId, tenant: 'default', secret: ZALO_FIXTURE_SECRET } : undefined) },
    pending: { keep: async () => ({ kept: false, pending: false }) },
    revocations: { markRevoked: async () => false },
    events: { putEvent: async () => ({ duplicate: false, consumedWcu: 1 }), putCopies: async () => 0 },
    state: { apply: async () => ({ applied: true, consumedWcu: 1 }) },
    rejected: { add: async () => undefined },
    now: () => now,
    telemetry,
    log,
  });
  const cases = fixtures.map((fixture) => ({
    name: fixture.name,
    raw: fixture.rawBody,
    // The signed timestamp must be fresh: the clock is set to the fixture's own time.
    at: Number((JSON.parse(fixture.rawBody) as { timestamp: string }).timestamp),
    event: buildHttpApiEvent(
      { method: 'POST', url: '/zalo/webhook', headers: { host: 'bench', ...fixture.headers }, body: Buffer.from(fixture.rawBody, 'utf8'), sourceIp: '10.0.0.2' },
      'POST /zalo/webhook', {},
    ) as APIGatewayProxyEventV2,
  }));
  const statuses: number[] = [];
  for (const c of cases) {
    now = c.at;
    statuses.push((await ingest(c.event)).statusCode ?? 0);
  }
  const pipeline = (i: number) => {
    const c = cases[i % cases.length]!;
    now = c.at;
    return ingest(c.event);
  };
  const floor = (i: number) => {
    const raw = cases[i % cases.length]!.raw;
    return createHash('sha256').update(raw, 'utf8').digest().length + Object.keys(JSON.parse(raw) as object).length;
  };
  await measureAsync(WARMUP, pipeline);
  measureSync(WARMUP, floor);
  const p: number[] = []; const f: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    p.push(await measureAsync(ITERATIONS, pipeline));
    f.push(measureSync(ITERATIONS, floor));
  }
  const result = { pipeline: series(p), floor: series(f) };
  return {
    ...result,
    ratioPipelineToFloor: round(result.pipeline.median / result.floor.median, 2),
    fixtures: cases.length,
    iterationsPerRound: ITERATIONS,
    rounds: ROUNDS,
    statuses: statusHistogram(statuses),
    nonOk: cases.filter((_, i) => statuses[i] !== 200).map((c, i) => `${c.name}:${statuses[i]}`),
  };
};

const main = async () => {
  const out = process.argv[2]!;
  const esms = await esmsSection();
  const zalo = await zaloSection();
  writeJson(out, { esms, zalo, sink });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
