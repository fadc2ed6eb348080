/**
 * Section 13: the web console. Its bundle (script, stylesheet and page; raw and gzip; what of it is
 * Preact + htm, what the console's own code) and the console function's Lambda bundle; then the time to
 * first render of the messages page in Debian's chromium against the local stack on seeded data
 * (test/console/seed.ts): from navigation to the first result row of a day's search (100 newest of the
 * day), on a fresh page load each time (script parsed again, key already in sessionStorage), and the
 * message page (its timeline) the same way.
 */
import '../../../infra/local/quiet';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { buildConsole } from '../../../console/build';
import { PROJECT_ROOT } from '../../../infra/local/routes';
import { startStack } from '../../../infra/local/stack';
import { launch } from '../../console/chromium';
import { seedConsole } from '../../console/seed';
import { percentile, round, size, writeJson } from '../common';
import { BENCH_ENV, BENCH_TOKEN } from '../stack-env';

const MESSAGES = size('CONSOLE_MESSAGES', 1000, 150);
const LOADS = size('CONSOLE_LOADS', 9, 3);
const gz = (text: string) => gzipSync(text).length;

const libraryShare = async () => {
  const result = await build({ entryPoints: [join(PROJECT_ROOT, 'console', 'src', 'main.ts')], bundle: true, minify: true, format: 'iife', write: false, metafile: true, outdir: '/tmp/console-bench', logLevel: 'silent' });
  const inputs = Object.values(result.metafile.outputs).find((o) => o.entryPoint)!.inputs;
  const share = { preact: 0, htm: 0, console: 0 };
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (path.includes('node_modules/preact')) share.preact += bytesInOutput;
    else if (path.includes('node_modules/htm')) share.htm += bytesInOutput;
    else share.console += bytesInOutput;
  }
  return share;
};

const lambdaBundle = async () => {
  const yml = parse(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as { custom: { esbuild: Record<string, unknown> } };
  const { exclude: _e, target: _t, plugins: _p, ...options } = yml.custom.esbuild;
  const result = await build({ ...(options as BuildOptions), target: 'node20', absWorkingDir: PROJECT_ROOT, entryPoints: [join(PROJECT_ROOT, 'functions', 'console.ts')], write: false, outfile: '/tmp/console-bench/console.js', logLevel: 'silent' });
  const code = result.outputFiles[0]!.text;
  return { bytes: code.length, gzip: gz(code) };
};

const main = async () => {
  const out = process.argv[2]!;
  const assets = await buildConsole();
  const js = assets.files['app.js']!.body;
  const css = assets.files['app.css']!.body;
  const bundle = {
    js: { bytes: js.length, gzip: gz(js) }, css: { bytes: css.length, gzip: gz(css) }, html: { bytes: assets.html.length, gzip: gz(assets.html) },
    totalGzip: gz(js) + gz(css) + gz(assets.html), share: await libraryShare(), lambda: await lambdaBundle(),
  };

  const stack = await startStack({
    endpoint: process.env.BENCH_DYNAMO_ENDPOINT!, tablePrefix: `bcn${Date.now().toString(36)}`, env: BENCH_ENV, aggregator: { batchWindowMs: 50 }, fakeEsms: false, fakeZalo: false,
  });
  const browser = await launch();
  try {
    const seedStarted = performance.now();
    const { day, smsIds } = await seedConsole(stack, BENCH_TOKEN, BENCH_ENV.API_KEYS, MESSAGES);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.url}/console`);
    await page.fill('input[name="key"]', BENCH_ENV.API_KEYS);
    await page.press('input[name="key"]', 'Enter');
    await page.waitForSelector('header nav');
    /** Milliseconds from a fresh load of `route` to `ready` being drawn, `LOADS` times (the first is the cold one). */
    const timeLoads = async (route: string, ready: string) => {
      const times: number[] = [];
      for (let i = 0; i < LOADS; i += 1) {
        await page.goto('about:blank');
        const started = performance.now();
        await page.goto(`${stack.url}/console${route}`);
        await page.waitForSelector(ready);
        times.push(performance.now() - started);
      }
      const sorted = [...times].sort((a, b) => a - b);
      return { first: round(times[0]!, 0), p50: round(percentile(sorted, 50), 0), max: round(sorted.at(-1)!, 0), rows: await page.$$eval(`${ready.split(' ')[0]} tbody tr, ol.timeline li`, (rows) => rows.length) };
    };
    // The same search straight from Node: how much of the page's time is the API's (DynamoDB Local) own.
    const apiTimes: number[] = [];
    for (let i = 0; i < LOADS; i += 1) {
      const started = performance.now();
      await (await fetch(`${stack.url}/api/esms/messages?day=${day}`, { headers: { authorization: `Bearer ${BENCH_ENV.API_KEYS}` } })).text();
      apiTimes.push(performance.now() - started);
    }
    const searchApiP50 = round(percentile([...apiTimes].sort((a, b) => a - b), 50), 0);
    const messages = { ...(await timeLoads(`#/messages?day=${day}`, 'table.results tbody tr')), searchApiP50 };
    const message = await timeLoads(`#/message/${smsIds[0]}`, 'ol.timeline li');
    writeJson(out, { bundle, seeded: { messages: MESSAGES, seedSeconds: round(seedSeconds, 1) }, loads: LOADS, messagesPage: messages, messagePage: message });
  } finally {
    await browser.close();
    await stack.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
