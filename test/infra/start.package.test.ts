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
      (text) => text.includes('Zalo apps'),
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

  it('prints a secret only when it is the public local default: secrets set in the environment never reach the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-'));
    const port = await freePort();
    const secrets = {
      ESMS_CALLBACK_TOKENS: 'real-esms-token-4f1c9a,second-token-77ab',
      API_KEYS: 'real-api-key-8d2e',
      ADMIN_API_KEYS: 'real-admin-key-3b7f',
      ZALO_APPS: JSON.stringify({ '3482178216594085616': 'real-oa-secret-key-5c0d' }),
      ZALO_APP_SECRETS: JSON.stringify({ '3482178216594085616': 'real-app-secret-1e9a' }),
      ESMS_API_KEY: 'real-esms-api-key-6a2c',
      ESMS_SECRET_KEY: 'real-esms-secret-2d4b',
    };
    const { out } = await runStart(
      { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: join(dir, 'data'), DYNAMODB_PORT: String(await freePort()), ...secrets },
      (text) => text.includes('connect a Zalo OA'),
      60_000,
    );
    rmSync(dir, { recursive: true, force: true });
    expect(out).toContain('local stack ready');
    const values = Object.values(secrets).flatMap((value) => (value.startsWith('{') ? Object.values(JSON.parse(value) as Record<string, string>) : value.split(',')));
    expect(values.filter((value) => out.includes(value))).toEqual([]);
    expect(out).toContain(`GET   http://127.0.0.1:${port}/esms/{token}/sms`);
    expect(out).toContain('3482178216594085616');
  }, 90_000);
});
