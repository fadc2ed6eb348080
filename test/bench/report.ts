/** Turns the sections' JSON into the readable tables `npm run bench` prints. */

// The sections' results are JSON written by child processes; the printer reads them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from the sections (see above)
type J = any;

const cell = (value: unknown): string => (value === null || value === undefined ? '–' : typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '–') : String(value));

export const table = (headers: string[], rows: unknown[][]): string => {
  const text = rows.map((row) => row.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
const yes = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

export const heading = (title: string, meta?: { seconds: number; others: number; loadBefore: string; loadAfter: string }) => {
  const extra = meta ? `  [${meta.seconds.toFixed(0)} s; other processes used ${pct(meta.others)} of the machine; load ${meta.loadBefore} → ${meta.loadAfter}]` : '';
  return `\n## ${title}${extra}\n`;
};

export const printCpu = (r: J): string => {
  const e = r.esms;
  const z = r.zalo;
  return [
    `eSMS: ${e.lines} fixture lines round-robin as API Gateway v2 events, ${e.rounds} rounds × ${e.iterationsPerRound} calls after ${e.iterationsPerRound} warm-up; answers ${JSON.stringify(e.statuses)}`,
    table(['µs of CPU per callback', 'median', 'min', 'rounds'], [
      ['pipeline (buildEsmsIngest, stub store)', e.pipeline.median, e.pipeline.min, e.pipeline.rounds.join(' ')],
      ['parser alone (parseCallbackWithIdentity)', e.parser.median, e.parser.min, e.parser.rounds.join(' ')],
      ['FLOOR URLSearchParams + JSON.stringify', e.floor.median, e.floor.min, e.floor.rounds.join(' ')],
    ]),
    `  ratio pipeline / floor = ${e.ratioPipelineToFloor}×   parser / floor = ${e.ratioParserToFloor}×`,
    '',
    `Zalo: ${z.fixtures} fixtures (all but the bad-signature one) through buildZaloIngest with stub stores; answers ${JSON.stringify(z.statuses)}`,
    table(['µs of CPU per event', 'median', 'min', 'rounds'], [
      ['pipeline (verify + parse + items + state)', z.pipeline.median, z.pipeline.min, z.pipeline.rounds.join(' ')],
      ['FLOOR sha256(raw body) + JSON.parse', z.floor.median, z.floor.min, z.floor.rounds.join(' ')],
    ]),
    `  ratio pipeline / floor = ${z.ratioPipelineToFloor}×`,
  ].join('\n');
};

export const printBundles = (r: J): string => {
  if (r.skipped) {
    return [`SKIPPED init counts: ${r.skipped}`, table(['function', 'bytes', 'gzip'], r.sizes.map((s: J) => [s.function, kb(s.bytes), kb(s.gzipBytes)]))].join('\n');
  }
  const target = 0.2;
  const lines = [
    `floor \`node -e 0\` (clean env) = ${r.floorG} G instructions (first/last run: ${r.floorsG.join(' / ')}); bundles: esbuild bundle+minify, cjs, platform node, target node20 (serverless.yml: node22)`,
    table(['function', 'bytes', 'gzip', 'init G', 'above floor G', 'measured as'], r.perFunction.map((f: J) => [f.function, kb(f.bytes), kb(f.gzipBytes), f.instructionsG, f.aboveFloorG === null ? null : `+${f.aboveFloorG}`, f.error ? `ERROR ${f.error}` : f.measuredAs])),
  ];
  const esms = r.perFunction.find((f: J) => f.function === 'esmsSms');
  if (esms?.aboveFloorG != null) lines.push(`  target ≤ +${target} G above the floor (issue; a naive SDK bundle ≈ +0.36 G): esmsSms is at +${esms.aboveFloorG} G → ${yes(esms.aboveFloorG <= target)}`);
  lines.push('', 'EXPERIMENTS (bundle-time swaps in bench-results/bundles/experiments; product code untouched):');
  lines.push(table(['function', 'variant', 'bytes', 'gzip', 'init G', 'above floor', 'saved vs as-is', 'target'], r.experiments.map((e: J) => [
    e.function, e.variant, kb(e.bytes), kb(e.gzipBytes), e.instructionsG, e.aboveFloorG === null ? null : `+${e.aboveFloorG}`, e.savedVsBaseG === null ? null : `-${e.savedVsBaseG}`,
    e.error ? `ERROR ${e.error}` : e.aboveFloorG === null ? '–' : yes(e.aboveFloorG <= target),
  ])));
  if (Array.isArray(r.firstCall)) {
    lines.push('', 'Init vs first call (esmsSms; init as above; + one accepted callback on DynamoDB Local, local client config with static credentials):');
    lines.push(table(['variant', 'init above floor G', 'init + 1st call above floor G', '1st call G', 'answer'], r.firstCall.map((f: J) => [f.variant, f.initAboveFloorG, f.initPlusFirstCallAboveFloorG, f.firstCallG, f.error ? `ERROR ${f.error}` : f.answer])));
  } else if (r.firstCall?.skipped) lines.push(`first call: skipped (${r.firstCall.skipped})`);
  if (r.perCall?.sdk) {
    const p = r.perCall;
    lines.push('', `Per-call client CPU, ${p.operation}, ${p.callsPerClient} calls each, DynamoDB Local:`);
    lines.push(table(['client', 'µs CPU / call', 'rounds', 'wall ms / call', 'WCU / call'], [
      ['AWS SDK v3 (lib-dynamodb, product client)', p.sdk.cpuUsPerCall, p.sdk.roundsCpuUs.join(' '), p.sdk.wallMsPerCall, p.sdk.wcuPerCall],
      ['minimal client (experiments/mini-dynamodb.ts)', p.mini.cpuUsPerCall, p.mini.roundsCpuUs.join(' '), p.mini.wallMsPerCall, p.mini.wcuPerCall],
      ['FLOOR raw node:http POST of a pre-built body', p.raw.cpuUsPerCall, p.raw.roundsCpuUs.join(' '), p.raw.wallMsPerCall, p.raw.wcuPerCall],
    ]));
    lines.push(`  ratio SDK / minimal = ${p.ratioSdkToMini}×; SDK / raw floor = ${p.ratioSdkToRaw}×; minimal / raw floor = ${p.ratioMiniToRaw}×`);
    lines.push(`  minimal client faithful on the product's paths: accepted then duplicate ${p.miniChecks.acceptedThenDuplicate ? 'yes' : 'NO'}; Query result identical to the SDK's ${p.miniChecks.queryMatchesSdk ? 'yes' : 'NO'}`);
  }
  const largest = r.largestEsmsSms;
  if (largest) lines.push('', `esmsSms bundle, largest contents: ${largest.map((l: J) => `${l.name} ${kb(l.bytes)}`).join(', ')}`);
  return lines.join('\n');
};

export const printWcu = (r: J): string => {
  const f = r.fixtureFirstDelivery;
  const w = r.workload;
  return [
    `Fixture lines, first delivery each on its own item: mean ${f.meanWcu} WCU over ${f.lines} lines; histogram ${JSON.stringify(f.histogram)}`,
    `  per line: ${r.perLine.map((l: J) => `${l.line}:${l.firstWcu ?? 'x'}`).join(' ')}`,
    `  same line again: ${f.duplicatesRecognised}/${r.perLine.length} recognised as duplicates (refused conditional write); WCU: ${f.duplicateWcuReported}; AWS bills each ≥ 1 WCU`,
    table(['realistic workload (callbackWorkload)', 'value'], [
      ['messages / deliveries', `${w.messages} / ${w.deliveries}`],
      ['accepted / duplicates', `${w.accepted} / ${w.duplicates}`],
      ['WCU per accepted callback (reported)', w.wcuPerAccepted],
      ['WCU per delivery (reported)', w.wcuPerDeliveryReported],
      ['WCU per delivery (billed, duplicates at ≥ 1)', `≥ ${w.wcuPerDeliveryBilledAtLeast}`],
      ['accepted WCU histogram', JSON.stringify(w.acceptedWcuHistogram)],
    ]),
  ].join('\n');
};

export const printE2e = (r: J): string => [
  `${r.messagesPerRun} messages per run (callbackWorkload: retries and late statuses), aggregator running (${r.aggregatorInvocations} invocations, ${r.aggregatedRecords} records)`,
  table(['in flight', 'e2e callbacks/s', 'e2e p50 ms', 'e2e p99 ms', 'raw PutItem/s (before/after)', 'raw p50 ms', 'raw p99 ms', 'e2e / raw', 'target ≥ 60 %'], r.runs.map((x: J) => [
    x.concurrency, x.e2e.perSecond, x.e2e.p50Ms, x.e2e.p99Ms, `${x.raw.perSecond} (${x.raw.beforePerSecond}/${x.raw.afterPerSecond})`, x.raw.p50Ms, x.raw.p99Ms, pct(x.ratio), yes(x.ratio >= 0.6),
  ])),
  '  where the CPU went (µs per operation; the Node process holds the load generator, the HTTP front door, the handler, its SDK client and the stream poller):',
  table(['in flight', 'e2e: Node µs/callback', 'e2e: engine JVM µs/callback', 'raw: Node µs/put', 'raw: engine JVM µs/put'], r.runs.map((x: J) => [
    x.concurrency, x.e2e.nodeCpuUsPerOp, x.e2e.engineCpuUsPerOp, x.raw.nodeCpuUsPerOp, x.raw.engineCpuUsPerOp,
  ])),
  ...(r.decomposition ? [
    `  engine decomposition at ${r.decomposition.concurrency} in flight (same engine, same run; µs of CPU per write):`,
    table(['write path', 'writes/s', 'Node µs/write', 'engine JVM µs/write'], [
      ['raw PutItem, plain table', r.decomposition.rawPlain.perSecond, r.decomposition.rawPlain.nodeCpuUsPerOp, r.decomposition.rawPlain.engineCpuUsPerOp],
      ['raw PutItem, table with a stream (unread)', r.decomposition.rawWithStream.perSecond, r.decomposition.rawWithStream.nodeCpuUsPerOp, r.decomposition.rawWithStream.engineCpuUsPerOp],
      ['product adapter only (conditional UpdateItem, GSI, stream; no HTTP/poller)', r.decomposition.adapterOnly.perSecond, r.decomposition.adapterOnly.nodeCpuUsPerOp, r.decomposition.adapterOnly.engineCpuUsPerOp],
    ]),
    ...(() => {
      const same = r.runs.find((x: J) => x.concurrency === r.decomposition.concurrency);
      return same ? [`  e2e / raw PutItem on a table with a stream = ${pct(same.e2e.perSecond / r.decomposition.rawWithStream.perSecond)}; e2e / product adapter alone = ${pct(same.e2e.perSecond / r.decomposition.adapterOnly.perSecond)}`] : [];
    })(),
  ] : []),
  `  e2e answers: ${r.runs.map((x: J) => `${x.concurrency}: ${JSON.stringify(x.e2e.statuses)}`).join('; ')}; raw items ≈ ${r.runs[0]?.raw.itemBytes} B`,
].join('\n');

export const printAggregation = (r: J): string => [
  `${r.messages} messages → ${r.accepted} accepted callbacks (${r.deliveries} deliveries; ${r.distinctCallbacksWritten} distinct written), batch size ${r.batchSize}, window ${r.batchWindowMs} ms: ${r.invocations} invocations, ${r.meanRecordsPerInvocation} records each on average; counters exact: ${r.exact.ok ? 'yes' : 'NO'} (${r.exact.countedRequests}/${r.exact.expectedMessages})`,
  table(['counter writes', 'requests', 'WCU', 'requests / callback', 'WCU / callback', 'target ≤ 0.1 req/cb'], [
    ['aggregator (coalesced, watermarked)', r.aggregated.writeRequests, r.aggregated.wcu, r.aggregated.requestsPerCallback, r.aggregated.wcuPerCallback, yes(r.aggregated.requestsPerCallback <= 0.1)],
    ['NAIVE: 1 UpdateItem ADD per counter a callback touches', r.naive.writeRequests, r.naive.wcu, r.naive.requestsPerCallback, r.naive.wcuPerCallback, yes(r.naive.requestsPerCallback <= 0.1)],
    ['EXPERIMENT wide item (1 item/day, groups as attributes)', r.wide.writeRequests, r.wide.wcu, r.wide.requestsPerCallback, r.wide.wcuPerCallback, yes(r.wide.requestsPerCallback <= 0.1)],
  ]),
  `  per delivery: aggregator ${r.aggregated.requestsPerDelivery} requests; wide item: largest single write ${r.wide.largestWriteWcu} WCU (billed on the whole item)`,
  '  EXPERIMENT, same recorded stream re-cut into invocations of N records (pure coalesce; 1 WCU per write):',
  table(['records per invocation', ...r.byRecordsPerInvocation.map((b: J) => String(b.recordsPerInvocation))], [['requests / callback', ...r.byRecordsPerInvocation.map((b: J) => b.requestsPerCallback)]]),
].join('\n');

export const printLag = (rows: J[]): string => table(
  ['batch window', 'batch size', 'callbacks', 'rate /s', 'p50 ms', 'p99 ms', 'min ms', 'max ms', 'reflected', 'invocations'],
  rows.map((r) => [`${r.batchWindowMs} ms (${r.batchWindowSource})`, r.batchSize, r.callbacks, r.ratePerSecond, r.p50Ms, r.p99Ms, r.minMs, r.maxMs, `${r.reflected}/${r.callbacks}`, r.aggregatorInvocations]),
);

/** The issue's targets against what this run measured. */
export const printTargets = (results: Record<string, J>): string => {
  const rows: unknown[][] = [];
  const b = results.bundles;
  const esms = b?.perFunction?.find((f: J) => f.function === 'esmsSms');
  if (esms?.aboveFloorG != null) {
    const ranked = (b.experiments as J[]).filter((e) => e.function === 'esmsSms' && e.aboveFloorG !== null).sort((x, y) => x.aboveFloorG - y.aboveFloorG);
    const best = ranked[0];
    const withSdk = ranked.find((e) => !/^(mini|lazy)/.test(e.variant));
    rows.push(['init ≤ +0.20 G above floor (esmsSms)', `+${esms.aboveFloorG} G`, yes(esms.aboveFloorG <= 0.2),
      `${best ? `${best.variant}: +${best.aboveFloorG} G` : '–'}${withSdk ? `; SDK kept, eager: ${withSdk.variant}: +${withSdk.aboveFloorG} G` : ''}`]);
  }
  const e = results.e2e;
  if (e?.runs) {
    const r16 = e.runs.find((x: J) => x.concurrency === 16) ?? e.runs[0];
    const d = e.decomposition;
    rows.push(['e2e ≥ 60 % of raw PutItem (16 in flight)', pct(r16.ratio), yes(r16.ratio >= 0.6),
      d ? `vs raw PutItem on a stream table: ${pct(r16.e2e.perSecond / d.rawWithStream.perSecond)}; vs adapter alone: ${pct(r16.e2e.perSecond / d.adapterOnly.perSecond)}` : '–']);
  }
  const a = results.aggregation;
  if (a?.aggregated) {
    const big = (a.byRecordsPerInvocation as J[]).at(-1);
    rows.push(['≤ 0.1 counter writes per callback (batch 100)', a.aggregated.requestsPerCallback, yes(a.aggregated.requestsPerCallback <= 0.1), `wide item: ${a.wide.requestsPerCallback} req (${a.wide.wcuPerCallback} WCU)/cb; ${big.recordsPerInvocation} rec/invocation: ${big.requestsPerCallback}`]);
  }
  return rows.length ? table(['target (issue)', 'measured', 'status', 'best experiment'], rows) : '  (no target section ran)';
};
