/**
 * `npm run capacity -- --rate 10000 --batch 100000 [--seconds 10] [--sample 4096] [--mix 1500]`: the capacity
 * plan's figures (docs/capacity.md), fed by the write pattern the shipped code really sends. It starts the
 * local stack with the per-key proxy recording every DynamoDB request (at DynamoDB's real limits, scale 1),
 * sends a sample of the batch's callbacks (each with the batch's real TotalReceiver, so the storage layout is
 * the one of the full batch) and a sample of steady traffic (single-recipient messages 7 → 5 and small
 * batches), lets the projector and the aggregator work them off, and projects every key's units to the target
 * rates (infra/tools/capacity-model.ts). Exit code 1 when a key would need more than 1,000 WCU/s or 3,000 RCU/s.
 */
import '../local/quiet';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack, type StreamInvoke } from '../local/stack';
import type { RecordedRequest } from '../local/throttle-proxy';
import { callbackQuery } from '../../test/support/callback-query';
import { concurrency, counterLag, KEY_RCU_LIMIT, KEY_WCU_LIMIT, plan, type Phase } from './capacity-model';
import projectorManifest from '../../functions/projector.json';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    sample: { type: 'string', default: '4096' },
    mix: { type: 'string', default: '1500' },
  },
});
const rate = Number(values.rate);
const batch = Number(values.batch);
const batchSeconds = Number(values.seconds);
const sample = Math.min(batch, Number(values.sample));
const mixMessages = Number(values.mix);

const send = async (url: string, queries: string[], parallel = 16) => {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < queries.length) {
      const query = queries[next++]!;
      const started = performance.now();
      const answer = await fetch(`${url}?${query}`);
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${query}`);
      durations.push(performance.now() - started);
    }
  }));
  return durations;
};

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'capacity-'));
  const timing = { records: 0, ms: 0 };
  // The stream consumers wait while callbacks are sent, so each request is told apart: the callback's own, or theirs.
  let release: () => void = () => undefined;
  let held: Promise<void> = Promise.resolve();
  const hold = () => { held = new Promise((resolve) => { release = resolve; }); };
  const gated = (invoke: StreamInvoke): StreamInvoke => async (event) => {
    await held;
    return invoke(event);
  };
  const timed = (invoke: StreamInvoke): StreamInvoke => async (event) => {
    await held;
    const started = performance.now();
    const answer = await invoke(event);
    timing.ms += performance.now() - started;
    timing.records += event.Records.length;
    return answer;
  };
  const stack = await startStack({ dataDir, throttleScale: 1, aggregator: { batchWindowMs: 500, wrapInvoke: gated, drainKeepsWindow: true }, projector: { wrapInvoke: timed, drainKeepsWindow: true } });
  const proxy = stack.throttle!;
  const callbackUrl = `${stack.url}/esms/${(process.env.ESMS_CALLBACK_TOKENS ?? '').split(',')[0]}/sms`;
  /** The requests of the callbacks themselves, then those of the stream consumers working them off. */
  const capture = async (work: () => Promise<void>): Promise<RecordedRequest[] & { callbackPath: RecordedRequest[] }> => {
    hold();
    proxy.record(true);
    await work();
    const callbackPath = [...proxy.recorded];
    proxy.record(true);
    release();
    await stack.poller!.drain();
    const recorded = [...callbackPath, ...proxy.recorded];
    proxy.record(false);
    return Object.assign(recorded, { callbackPath });
  };
  try {
    // The batch: `sample` of its recipients' finals (the same end totals, as eSMS sends them), with the batch's TotalReceiver.
    const smsId = `capacity-${Date.now()}`;
    const finals = Array.from({ length: sample }, (_, i) => callbackQuery({
      smsId, status: 5, receivers: batch, sent: batch, success: batch - 100, failed: 100, price: `${(batch - 100) * 750}.0000`,
      telco: 1 + (i % 7), phone: `09${String(10_000_000 + i * 7).padStart(8, '0')}`,
    }));
    const batchRecorded = await capture(async () => { await send(callbackUrl, finals); });
    const projectorRate = timing.records / Math.max(1e-3, timing.ms / 1000);

    // Steady traffic: 90 % single-recipient messages 7 → 5, 10 % batches of 2–20 phones, each callback once.
    const mix = Array.from({ length: mixMessages }, (_, m) => {
      const id = `steady-${Date.now()}-${m}`;
      const phones = m % 10 === 9 ? 2 + (m % 19) : 1;
      return Array.from({ length: phones }, (_, p) => {
        const base = { smsId: id, receivers: phones, telco: 1 + (m % 7), phone: `08${String(m * 100 + p).padStart(8, '0')}` };
        return [callbackQuery({ ...base, status: 7, sent: phones, price: `${phones * 850}.0000` }),
          callbackQuery({ ...base, status: 5, sent: phones, success: phones, price: `${phones * 850}.0000` })];
      }).flat();
    }).flat();
    // One at a time, so the latency is a callback's own (the duration a Lambda would bill), not a queue's.
    let latencies: number[] = [];
    const mixRecorded = await capture(async () => { latencies = await send(callbackUrl, mix, 1); });

    const batchRate = batch / batchSeconds;
    const phases: Phase[] = [
      { name: `batch of ${batch} in ${batchSeconds} s`, callbacks: finals.length, rate: batchRate, recorded: batchRecorded },
      { name: `steady ${rate}/s`, callbacks: mix.length, rate, recorded: mixRecorded },
    ];
    const result = plan(phases);
    const mixOnly = plan([phases[1]!]);
    const mixCallbackPath = plan([{ ...phases[1]!, recorded: mixRecorded.callbackPath }]);
    const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
    const sorted = [...latencies].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const total = rate + batchRate;

    console.log(`capacity plan: ${fmt(rate)} callbacks/s steady + a ${fmt(batch)}-recipient batch in ${batchSeconds} s (${fmt(batchRate)}/s), one tenant (the worst case for its shared keys)`);
    console.log(`recorded on the shipped code: ${finals.length} batch callbacks, ${mix.length} steady callbacks, ${batchRecorded.length + mixRecorded.length} DynamoDB requests (callback path, projector, aggregator)`);
    console.log('\nper key (table or index / key kind): keys seen, hottest key WCU/s and RCU/s, sum WCU/s');
    for (const space of result.spaces) {
      console.log(`  ${`${space.space} ${space.kind}`.padEnd(28)} ${String(space.keys).padStart(6)} keys  peak ${fmt(space.peakWcu).padStart(8)} WCU/s ${fmt(space.peakRcu).padStart(8)} RCU/s  sum ${fmt(space.totalWcu).padStart(9)} WCU/s`);
    }
    console.log(`\nhottest write key: ${result.hottestWrite?.space} ${result.hottestWrite?.kind} ${fmt(result.hottestWrite?.wcu ?? 0)} WCU/s (limit ${KEY_WCU_LIMIT})`);
    console.log(`hottest read key:  ${result.hottestRead?.space} ${result.hottestRead?.kind} ${fmt(result.hottestRead?.rcu ?? 0)} RCU/s (limit ${KEY_RCU_LIMIT})`);
    console.log(`table and index write units: ${Object.entries(result.tableWcu).map(([space, units]) => `${space} ${fmt(units)} WRU/s`).join(', ')}`);
    console.log(`table and index read units:  ${Object.entries(result.tableRcu).map(([space, units]) => `${space} ${fmt(units)} RRU/s`).join(', ')}`);
    console.log(`write units per callback, steady mix: ${mixCallbackPath.wcuPerCallback.toFixed(2)} by the callback's own request (table + indexes), ${mixOnly.wcuPerCallback.toFixed(2)} with the stream consumers' writes (head advances, phone index, counters)`);
    console.log(`\ncallback request, one at a time: median ${medianMs.toFixed(1)} ms here → Lambda concurrency ${fmt(concurrency(total, medianMs))} at ${fmt(total)}/s (AWS: at 20 ms, ${fmt(concurrency(total, 20))})`);
    const streamShards = Math.max(1, Math.ceil((result.tableWcu.messages ?? 0) / KEY_WCU_LIMIT));
    const parallelization = projectorManifest.trigger.stream.parallelizationFactor;
    console.log(`projector: ${fmt(projectorRate)} records/s per consumer here; ${streamShards} stream shards (≥ 1 per 1,000 WRU/s), parallelization ${parallelization}`);
    console.log(`lag from the batch's last callback to its counters: ≤ ${fmt(counterLag({ records: batch, streamShards, parallelization, recordsPerSecondPerConsumer: projectorRate, windowSeconds: 60 }))} s (aggregator window 60 s + the projector's backlog)`);
    if (result.overLimit.length > 0) {
      console.log(`\nOVER THE LIMIT: ${result.overLimit.map((load) => `${load.space} ${load.key} ${fmt(load.wcu)} WCU/s ${fmt(load.rcu)} RCU/s`).join('; ')}`);
      process.exitCode = 1;
    } else console.log('\nno key over 1,000 WCU/s or 3,000 RCU/s');
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
