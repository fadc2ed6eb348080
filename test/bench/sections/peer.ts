/**
 * Section 9: the reference peer (../shared/peer, the typical Powertools eSMS receiver) and this project's
 * shipped eSMS callback bundle, side by side in one run on one DynamoDB Local, by the peer's own script
 * (`node ../shared/peer/side-by-side.mjs <events>`, which packages the project with `sls package`).
 * Writes the script's per-callback medians (handler CPU, engine CPU, wall) and the project/peer ratios.
 * Skipped when the shared peer is not beside the project.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { size, writeJson } from '../common';

const out = process.argv[2]!;
const root = join(import.meta.dirname, '..', '..', '..');
const script = join(root, '..', 'shared', 'peer', 'side-by-side.mjs');
if (!existsSync(script)) {
  writeJson(out, { skipped: `no ${script}` });
  process.exit(0);
}
const events = size('BENCH_PEER_EVENTS', 3000, 300);
const run = spawnSync(process.execPath, [script, String(events)], { cwd: root, encoding: 'utf8', timeout: 20 * 60_000, env: { ...process.env, SBS_ROUNDS: process.env.SBS_ROUNDS ?? '3' } });
const text = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
/** `| handler process CPU | 4301 | 3473 | 0.81 |` → the three numbers. */
const row = (label: string) => {
  const match = new RegExp(`\\|\\s*${label}[^|]*\\|\\s*([\\d.]+)\\s*\\|\\s*([\\d.]+)\\s*\\|\\s*([\\d.]+)\\s*\\|`).exec(text);
  return match ? { peerMicros: Number(match[1]), projectMicros: Number(match[2]), ratio: Number(match[3]) } : undefined;
};
const result = { events, rounds: Number(process.env.SBS_ROUNDS ?? 3), handlerCpu: row('handler process CPU'), engineCpu: row('DynamoDB Local CPU'), wall: row('wall') };
if (run.status !== 0 || !result.handlerCpu) {
  console.error(text.slice(-3000));
  process.exit(1);
}
writeJson(out, result);
