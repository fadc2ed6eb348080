import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb';
import { PROJECT_ROOT, httpRoutes } from '../../infra/local/routes';

const TSX = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const runStart = (env: Record<string, string>, until: (out: string) => boolean, timeoutMs: number) =>
  new Promise<{ out: string; code: number | null; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [TSX, 'infra/local/start.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const finish = (code: number | null) => {
      clearTimeout(timer);
      resolve({ out, code, ms: Date.now() - started });
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (until(out)) {
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => finish(code));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  });

describe('npm start', () => {
  it('is ready in under 15 s and prints every route with the token and the read API key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-'));
    const port = await freePort();
    const { out, ms } = await runStart(
      { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: join(dir, 'data'), DYNAMODB_PORT: String(await freePort()) },
      (text) => text.includes('Zalo dev app'),
      60_000,
    );
    rmSync(dir, { recursive: true, force: true });
    const ready = /local stack ready in (\d+) ms/.exec(out);
    expect(ready, out).not.toBeNull();
    expect(Number(ready![1])).toBeLessThan(15_000);
    expect(ms).toBeLessThan(30_000);
    for (const route of httpRoutes()) {
      expect(out).toContain(`${route.method.padEnd(5)} http://127.0.0.1:${port}${route.path.replace('{token}', 'local-dev-token')}`);
    }
    expect(out).toContain('Bearer local-dev-key');
  }, 90_000);

  it('says in one line how to install Java when no java is on the PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'nojava-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const { out, code } = await runStart({ PATH: bin, DATA_DIR: ':memory:' }, () => false, 30_000);
    rmSync(bin, { recursive: true, force: true });
    expect(code).toBe(1);
    const lines = out.trim().split('\n').filter((line) => !line.includes('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17\+ runtime.*apt-get install -y openjdk-17-jre-headless/);
  }, 60_000);
});
