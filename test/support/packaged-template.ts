/**
 * `sls package --stage <stage>` (osls, offline, no AWS credentials), once per stage per test run, shared by
 * every test file that reads the packaged template (test/infra/package.test.ts, test/infra/cfn-spec.test.ts).
 *
 * vitest runs files in separate worker processes, so the cache is on disk: `<tmp>/vn-sls-package/<run>/<stage>`,
 * where <run> is the vitest main process (the workers' parent). Packaging itself is serialised by a lock
 * directory per checkout, across workers and concurrent runs: serverless-esbuild always builds in the
 * project's `.esbuild` folder. A run's folder stays until a later run finds its process gone and removes it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../infra/local/routes';

export const PACKAGE_TIMEOUT_MS = 300_000;

// A CloudFormation template is untyped JSON that the infra tests walk deep into.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON walked by tests (see above)
type Json = Record<string, any>;
export interface PackagedTemplate {
  /** The `--package` folder: the template and one zip per function. */
  dir: string;
  template: { Resources: Record<string, Json>; [section: string]: unknown };
}

const TEMPLATE = 'cloudformation-template-update-stack.json';
const CACHE = join(tmpdir(), 'vn-sls-package');
const checkout = createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 12);
/** The vitest main process (workers are its children); outside vitest, this process. */
const runPid = process.env.VITEST ? process.ppid : process.pid;
const runDir = join(CACHE, `${checkout}-${runPid}`);
const lockDir = join(CACHE, `${checkout}.lock`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Run folders of this checkout whose vitest process has ended. */
const removeStaleRuns = () => {
  for (const name of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    const match = new RegExp(`^${checkout}-(\\d+)$`).exec(name);
    if (match && Number(match[1]) !== runPid && !alive(Number(match[1]))) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
};

const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
  const deadline = Date.now() + 2 * PACKAGE_TIMEOUT_MS;
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(existsSync(join(lockDir, 'pid')) ? readFileSync(join(lockDir, 'pid'), 'utf8') : NaN);
      if (Number.isInteger(owner) && !alive(owner)) rmSync(lockDir, { recursive: true, force: true }); // its holder died
      else if (Date.now() > deadline) throw new Error(`sls package: ${lockDir} still held by process ${owner}`);
      else await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
};

const slsPackage = (stage: string, dir: string): Promise<void> =>
  new Promise((resolve, reject) => {
    execFile(
      'npx', ['sls', 'package', '--stage', stage, '--package', dir],
      { cwd: PROJECT_ROOT, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' }, timeout: PACKAGE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error || !existsSync(join(dir, TEMPLATE))) {
          reject(new Error(`sls package --stage ${stage} failed (${error?.message ?? 'no template'}):\n${stdout}\n${stderr}`));
        } else resolve();
      },
    );
  });

const read = (dir: string): PackagedTemplate => ({ dir, template: JSON.parse(readFileSync(join(dir, TEMPLATE), 'utf8')) });

const inProcess = new Map<string, Promise<PackagedTemplate>>();

/** The packaged template (and artifacts) of a stage: packaged by the first file that asks, read by the others. */
export const packagedTemplate = (stage: string): Promise<PackagedTemplate> => {
  let run = inProcess.get(stage);
  if (!run) {
    const dir = join(runDir, stage);
    const done = join(runDir, `${stage}.done`);
    run = (async () => {
      if (existsSync(done)) return read(dir);
      return withLock(async () => {
        if (existsSync(done)) return read(dir); // another worker packaged it while this one waited
        removeStaleRuns();
        const building = join(runDir, `${stage}.building-${process.pid}`);
        rmSync(building, { recursive: true, force: true });
        mkdirSync(building, { recursive: true });
        await slsPackage(stage, building);
        rmSync(dir, { recursive: true, force: true });
        renameSync(building, dir);
        writeFileSync(done, new Date().toISOString());
        return read(dir);
      });
    })();
    // Each test awaits its stage; an unhandled rejection before that would abort the file instead of failing tests.
    run.catch(() => undefined);
    inProcess.set(stage, run);
  }
  return run;
};
