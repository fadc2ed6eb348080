/** Shared helpers of the bench (not a test: nothing here is named *.test.ts, so vitest never collects it). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  // `java -version` answers on stderr: take whichever stream has the text.
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error) return undefined;
  return (probe.stdout.trim() || probe.stderr.trim()) || undefined;
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

/** CPU ticks (USER_HZ) of the whole machine, and of this process plus its reaped children and `extraPids`. */
export interface CpuSnapshot { total: number; busy: number; mine: number; load: string }

const ticksOf = (pid: number | 'self', withChildren: boolean): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11..14] = utime, stime, cutime, cstime (stat fields 14–17)
    const own = Number(fields[11]) + Number(fields[12]);
    return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
  } catch {
    return 0;
  }
};

export const cpuSnapshot = (extraPids: number[] = []): CpuSnapshot => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = line.reduce((a, b) => a + b, 0);
    const idle = (line[3] ?? 0) + (line[4] ?? 0);
    const mine = ticksOf('self', true) + extraPids.reduce((sum, pid) => sum + ticksOf(pid, false), 0);
    return { total, busy: total - idle, mine, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
  } catch {
    return { total: 0, busy: 0, mine: 0, load: 'n/a' };
  }
};

/** Share of the machine's CPU that processes outside this bench used between two snapshots. */
/** CPU ms (user + system) a process has used so far, from /proc (0 when unavailable). */
export const processCpuMs = (pid: number | undefined): number => (pid === undefined ? 0 : ticksOf(pid, false) * 10);

export const othersShare = (a: CpuSnapshot, b: CpuSnapshot): number =>
  b.total > a.total ? Math.max(0, (b.busy - a.busy - (b.mine - a.mine)) / (b.total - a.total)) : Number.NaN;
