/** Instruction counts of Node starts under callgrind, in a clean environment (no NODE_EXTRA_CA_CERTS). */
import { spawn, spawnSync } from 'node:child_process';

export const VALGRIND_MISSING = 'valgrind not found: install it with `apt-get install -y valgrind` (section 3 init counts skipped)';

export const hasValgrind = (): boolean => {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
};

/** The environment the brief prescribes for module init, plus what the onboarding functions need to start. */
export const INIT_ENV: Record<string, string> = {
  MESSAGES_TABLE: 'x',
  COUNTERS_TABLE: 'y',
  // Every function gets it from serverless.yml; the Zalo wiring resolves apps through the registry at init.
  REGISTRY_TABLE: 'z',
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  ESMS_CALLBACK_TOKENS: 't',
  API_KEYS: 'k',
  ZALO_APPS: '{}',
  // Without these two the three onboarding functions refuse to start (by design); harmless for the others.
  ZALO_STATE_SECRET: 'bench-state-secret',
  ZALO_TOKEN_KEY: 'YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=',
};

export interface Count {
  instructions: number;
  ok: boolean;
  stdout: string;
  error?: string;
}

/** `valgrind --tool=callgrind node -e <script>` with exactly `env` (plus PATH): the Collected total. */
export const countInstructions = (script: string, env: Record<string, string>): Promise<Count> =>
  new Promise((resolve) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '-e', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => {
      const match = /Collected\s*:\s*(\d+)/.exec(stderr);
      const instructions = match ? Number(match[1]) : Number.NaN;
      const ok = code === 0 && match !== null;
      const problem = stderr.split('\n').filter((line) => !line.startsWith('==') && line.trim() !== '' && !/NodeVersionSupportWarning|node >=22|first week of January|To continue receiving|security updates|a\.co\/|--trace-warnings|running node v/.test(line)).slice(0, 5).join(' | ');
      resolve({ instructions, ok, stdout, ...(ok ? {} : { error: `exit ${code}: ${problem}` }) });
    });
  });

/** Runs `jobs` with `limit` valgrind processes at a time (instruction counts do not depend on contention). */
export const pool = async <T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> => {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  }));
  return results;
};
