/**
 * Section 7: stream lag — from the HTTP 200 of a callback to the report counter reflecting it — on the
 * local stack (real eSMS handler, DynamoDB Local stream, emulated event source mapping, real aggregator
 * handler module). Callbacks are new messages sent one at a time at a steady rate, all into one counter
 * group, so the counter's `requests` value says how many of them (in send order) are reflected.
 */
import '../../../infra/local/quiet';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { streamConsumers } from '../../../infra/local/routes';
import { startStack } from '../../../infra/local/stack';
import { vietnamDay } from '../../../lib/time';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildCountersStore } from '../../../lib/store/counters';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { callbackQuery } from '../../support/callback-query';
import { percentile, round, size, sleep, writeJson } from '../common';
import { BENCH_ENV, BENCH_TOKEN } from '../stack-env';

const main = async () => {
  const out = process.argv[2]!;
  const windowArg = process.argv[3]; // 'yml' or milliseconds
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const stamp = Date.now().toString(36);
  const fromYml = windowArg === undefined || windowArg === 'yml';
  const consumer = streamConsumers().find((c) => c.functionName === 'aggregator')!;
  const batchWindowMs = fromYml ? consumer.maximumBatchingWindow * 1000 : Number(windowArg);
  const stack = await startStack({ endpoint, tablePrefix: `lag${stamp}`, env: BENCH_ENV, aggregator: { batchWindowMs } });
  const doc = buildDocumentClient(endpoint);
  const counters = buildCountersStore(doc, stack.tables.Counters);
  const day = vietnamDay(Date.now());
  let serial = 0;
  const send = async () => {
    serial += 1;
    const query = callbackQuery({ smsId: `lag${stamp}${serial.toString(16).padStart(6, '0')}`, status: 5, typeId: 2, sent: 1, success: 1, telco: 1, phone: '0901000000', price: '750.0000' });
    const response = await fetch(`${stack.url}/esms/${BENCH_TOKEN}/sms?${query}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`callback answered ${response.status}`);
    return performance.now();
  };

  // Find the counter item of this group with a first callback (and warm the handler modules).
  await send();
  let key: { pk: string; sk: string } | undefined;
  // With a tumbling window the aggregator writes counters when the window ends: allow one window more.
  const patience = Math.max(60_000, consumer.tumblingWindowInSeconds * 1000 + 30_000);
  const firstDeadline = performance.now() + patience;
  while (!key && performance.now() < firstDeadline) {
    const item = (await counters.readDay(DEFAULT_TENANT, day)).find((row) => row.scope === 'esms' && Number(row.requests) >= 1);
    if (item) key = { pk: String(item.pk), sk: String(item.sk) };
    else await sleep(50);
  }
  if (!key) throw new Error('the first callback never reached the counters');
  const readRequests = async () =>
    Number((await doc.send(new GetCommand({ TableName: stack.tables.Counters, Key: key, ConsistentRead: true }))).Item?.requests ?? 0);
  const base = await readRequests();

  const count = size('BENCH_LAG_CALLBACKS', 200, 80);
  const rate = Number(process.env.BENCH_LAG_RATE ?? 40);
  const sentAt: number[] = [];
  const reflectedAt: number[] = [];
  let polling = true;
  let polls = 0;
  const poll = (async () => {
    while (polling) {
      const value = await readRequests();
      polls += 1;
      const now = performance.now();
      for (let i = reflectedAt.length; i < Math.min(value - base, sentAt.length); i += 1) reflectedAt[i] = now;
      await sleep(10);
    }
  })();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.push(await send());
  }
  const deadline = performance.now() + patience;
  while (reflectedAt.length < count && performance.now() < deadline) await sleep(20);
  polling = false;
  await poll;
  const stats = stack.poller?.stats;
  await stack.stop();
  doc.destroy();
  const lags = reflectedAt.map((at, i) => at - sentAt[i]!).sort((a, b) => a - b);
  writeJson(out, {
    batchWindowMs,
    batchWindowSource: fromYml ? 'serverless.yml' : 'override',
    batchSize: consumer.batchSize,
    callbacks: count,
    reflected: lags.length,
    ratePerSecond: rate,
    sendSeconds: round((sentAt.at(-1)! - started) / 1000, 1),
    p50Ms: round(percentile(lags, 50), 0),
    p99Ms: round(percentile(lags, 99), 0),
    maxMs: round(lags.at(-1) ?? Number.NaN, 0),
    minMs: round(lags[0] ?? Number.NaN, 0),
    counterPolls: polls,
    aggregatorInvocations: stats?.invocations,
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
