/**
 * `npm run admin` handles secrets as a terminal tool should (issue 22 finding 16): a secret is never taken
 * from the command line (visible to `ps` and the shell history) but read from stdin or a prompt, one line per
 * secret, each `-` its own line; the admin key never goes over plain http except to this machine. The CLI
 * runs as a child process against a local server that records what reaches it.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

interface Seen { method: string; url: string; authorization: string | undefined; body: string }
const seen: Seen[] = [];
const server = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
  request.on('end', () => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Run { code: number | null; stdout: string; stderr: string }
const admin = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra/tools/admin.ts'), ...args], {
    cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, ADMIN_URL: base, ADMIN_API_KEY: 'env-admin-key', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  child.on('error', reject);
  child.on('close', (code) => resolve({ code, stdout, stderr }));
  child.stdin.end(options.input ?? '');
});

describe('npm run admin and secrets', () => {
  it('a secret given on the command line is refused before anything is sent (it would be visible to ps and the history)', async () => {
    seen.length = 0;
    for (const args of [
      ['apps', 'put', 'acme', '9300000000000000001', '--oa-secret-key', 'plain-oa-secret'],
      ['esms-account', 'set', 'acme', '--api-key', 'plain-api-key', '--secret-key', '-'],
      ['tenants', 'list', '--key', 'plain-admin-key'],
    ]) {
      const run = await admin(args, { input: 'from-stdin\n' });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/stdin/);
    }
    expect(seen).toEqual([]);
  }, 60_000);

  it('each "-" reads its own line of stdin, in the order of the usage: two secrets are two values', async () => {
    seen.length = 0;
    const run = await admin(['esms-account', 'set', 'acme', '--secret-key', '-', '--api-key', '-'], { input: 'the-api-key\nthe-secret-key\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(seen[0]!.body)).toEqual({ apiKey: 'the-api-key', secretKey: 'the-secret-key' });
    const withKey = await admin(['apps', 'put', 'acme', '9300000000000000001', '--key', '-', '--oa-secret-key', '-', '--app-secret', '-'], { input: 'stdin-admin-key\noa-key\napp-secret\n' });
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(seen[1]).toMatchObject({ authorization: 'Bearer stdin-admin-key' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ oaSecretKey: 'oa-key', appSecret: 'app-secret' });
  }, 60_000);

  it('the admin key goes over plain http only to this machine; https anywhere', async () => {
    seen.length = 0;
    for (const url of ['http://api.example.com', 'http://10.0.0.8:3000', 'ftp://127.0.0.1']) {
      const run = await admin(['tenants', 'list'], { env: { ADMIN_URL: url } });
      expect([run.code, run.stderr], url).toEqual([2, expect.stringMatching(/http/)]);
    }
    expect((await admin(['tenants', 'list'])).code).toBe(0);
    expect((await admin(['tenants', 'list'], { env: { ADMIN_URL: base.replace('127.0.0.1', 'localhost') } })).code).toBe(0);
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer env-admin-key', 'Bearer env-admin-key']);
  }, 60_000);
});
