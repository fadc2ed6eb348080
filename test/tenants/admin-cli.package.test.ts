/**
 * `npm run admin` against a started stack: the commands a partner's onboarding runs (create tenant → key →
 * token → app → key) print JSON that pipes, the key and token it printed work, and mistakes are precise.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { esmsFixture } from '../support/fixtures';
import { getJson, useStack } from '../support/stack';
import { ADMIN_KEY, TENANT_ENV } from './admin-client';

const stack = useStack({ env: TENANT_ENV, aggregator: false });

interface Run { code: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> }

/** The CLI as a child process (asynchronously: the stack it calls runs in this process). */
const admin = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra/tools/admin.ts'), ...args], {
    cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, ADMIN_URL: stack().url, ADMIN_API_KEY: ADMIN_KEY, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  child.on('error', reject);
  child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> }));
  child.stdin.end(options.input ?? '');
});

describe('npm run admin', () => {
  it('create tenant → key → token → app (pending) → key (stdin): JSON on stdout, and what it printed works', async () => {
    const tenant = await admin(['tenants', 'create', 'cli-co', '--name', 'CLI Co']);
    expect(tenant.code, tenant.stderr).toBe(0);
    expect(tenant.json()).toMatchObject({ ok: true, tenant: { id: 'cli-co', name: 'CLI Co' } });
    const key = (await admin(['keys', 'create', 'cli-co'])).json() as { key: string; keyId: string };
    const token = (await admin(['tokens', 'create', 'cli-co'])).json() as { token: string; callbackUrls: Record<string, string> };
    expect(Object.keys(token.callbackUrls)).toEqual(['sms', 'viber', 'zns', 'zalo', 'journey']);
    expect((await admin(['apps', 'put', 'cli-co', '9300000000000000001'])).json()).toMatchObject({ pending: true });
    const configured = await admin(['apps', 'put', 'cli-co', '9300000000000000001', '--oa-secret-key', '-'], { input: 'cli-oa-secret\n' });
    expect(configured.json()).toMatchObject({ pending: false, drain: { ingested: 0, discarded: 0, incomplete: false } });
    expect((await admin(['tenants', 'list'])).json()).toMatchObject({ tenants: [{ id: 'cli-co' }] });
    expect((await getJson(`${token.callbackUrls.sms}?${esmsFixture('cskh-batch-failed')}`)).status).toBe(200);
    expect((await getJson(`${stack().url}/api/rejected`, { authorization: `Bearer ${key.key}` })).status).toBe(200);
  }, 60_000);

  it('destinations: create (the secret once), list (no secret), disable (test refused), enable, test, attempts, delete', async () => {
    expect((await admin(['tenants', 'create', 'cli-dst'])).code).toBe(0);
    const created = await admin(['destinations', 'create', 'cli-dst', 'http://127.0.0.1:9/hook', '--events', 'esms.message.updated,esms.recipient.updated']);
    expect(created.code, created.stderr).toBe(0);
    const { id, secret } = created.json() as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await admin(['destinations', 'list', 'cli-dst']);
    expect(listed.json()).toMatchObject({ destinations: [{ id, events: ['esms.message.updated', 'esms.recipient.updated'] }] });
    expect(listed.stdout).not.toContain('whsec_');
    expect((await admin(['destinations', 'disable', 'cli-dst', id])).json()).toMatchObject({ destination: { id, enabled: false } });
    expect((await admin(['destinations', 'test', 'cli-dst', id])).code).toBe(1);
    expect((await admin(['destinations', 'enable', 'cli-dst', id])).json()).toMatchObject({ destination: { id, enabled: true } });
    expect((await admin(['destinations', 'test', 'cli-dst', id])).json()).toMatchObject({ ok: true });
    expect((await admin(['destinations', 'attempts', 'cli-dst', id])).code).toBe(0);
    expect((await admin(['destinations', 'delete', 'cli-dst', id])).code).toBe(0);
    expect((await admin(['destinations', 'list', 'cli-dst'])).json()).toMatchObject({ destinations: [] });
  }, 60_000);

  it('tenants create --retention-days sets the tenant\'s retention; a value that is not whole days is refused', async () => {
    const created = await admin(['tenants', 'create', 'cli-ret', '--retention-days', '45']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ ok: true, tenant: { id: 'cli-ret', retentionDays: 45 } });
    const refused = await admin(['tenants', 'create', 'cli-ret2', '--retention-days', 'a month']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('retentionDays');
  });

  it('--help lists every command; mistakes exit non-zero with a precise message', async () => {
    const help = await admin(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['tenants create', 'keys revoke', 'tokens create', 'apps put', 'apps drain', 'esms-account set', 'site-codes add']) expect(help.stdout).toContain(command);
    const unknown = await admin(['tenant', 'make']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown command "tenant make"')]);
    const missing = await admin(['keys', 'create']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('expected 1 argument(s): keys create <tenant>')]);
    const refused = await admin(['tenants', 'create', 'Bad_Id']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('HTTP 400 (id)')]);
    const noTenant = await admin(['keys', 'create', 'nobody']);
    expect([noTenant.code, noTenant.stderr]).toEqual([1, expect.stringContaining('HTTP 404 (id): no tenant nobody')]);
    const wrongKey = await admin(['tenants', 'list'], { env: { ADMIN_API_KEY: 'wrong' } });
    expect([wrongKey.code, wrongKey.stderr]).toEqual([1, expect.stringContaining('HTTP 401')]);
    const down = await admin(['tenants', 'list'], { env: { ADMIN_URL: 'http://127.0.0.1:9' } });
    expect([down.code, down.stderr]).toEqual([1, expect.stringContaining('cannot reach http://127.0.0.1:9')]);
  }, 60_000);
});
