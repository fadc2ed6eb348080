/** Shared helpers of the bench (not a test: nothing here is named *.test.ts, so vitest never collects it). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS = join(ROOT, 'bench-results');
export const QUICK = process.env.BENCH_QUICK === '1';

/** An integer setting from the environment, with a full-run and a quick-run default. */
export const size = (name: string, full: number, quick: number): number => {
  const raw = process.env[name];
  return raw !== undefined && raw !== '' ? Number(raw) : QUICK ? quick : full;
};

/** CPU time (user + system) of this process in µs. */
export const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
};

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

export const round = (value: number, digits = 2): number => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const writeJson = (file: string, data: unknown): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
};

const tryRun = (command: string, args: string[]): string | undefined => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    return stderr ? stderr.trim() : undefined;
  }
};

export const machineFacts = () => ({
  cores: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  valgrind: tryRun('valgrind', ['--version']) ?? 'missing',
  java: (tryRun('java', ['-version']) ?? 'missing').split('\n')[0],
});

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with `limit` in flight. */
export const runLimited = async <T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
};
