/**
 * The console must not slow the webhook functions: built with serverless.yml's esbuild options, no
 * callback or read-route bundle carries a byte of the console, and the console's bundle carries it whole.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build';
import { PROJECT_ROOT } from '../../infra/local/routes';
import type { ConsoleAssets } from '../../lib/api/console';

const yml = parse(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as { custom: { esbuild: Record<string, unknown> } };
const { exclude: _exclude, target: _target, plugins: _plugins, ...options } = yml.custom.esbuild;

const bundle = async (entry: string): Promise<string> => {
  const outfile = join(mkdtempSync(join(tmpdir(), 'console-bundle-')), 'out.js');
  await build({ ...(options as BuildOptions), target: 'node20', absWorkingDir: PROJECT_ROOT, entryPoints: [join(PROJECT_ROOT, entry)], outfile, logLevel: 'silent' });
  return readFileSync(outfile, 'utf8');
};

let assets: ConsoleAssets;
beforeAll(async () => {
  assets = await buildConsole();
});

describe('console bundle isolation', () => {
  it('the console function carries the built page and script', async () => {
    const code = await bundle('functions/console.ts');
    expect(code).toContain(assets.version);
    expect(code).toContain('console.session');
    expect(code).not.toMatch(/@aws-sdk|DynamoDB/);
  });

  it.each(['functions/esms-sms.ts', 'functions/zalo-webhook.ts', 'functions/api-esms-message.ts', 'functions/api-onboarding.ts'])('%s carries none of it', async (entry) => {
    const code = await bundle(entry);
    expect(code).not.toContain(assets.version);
    expect(code).not.toContain('console.session');
  });
});
