/**
 * The Lambda bundles are built with options the local stack never uses (the SDK's ES build, the env-only
 * credential provider alias), so this builds handlers exactly as serverless.yml says and runs them in a
 * clean child process against DynamoDB Local, with credentials only in the environment, as on Lambda.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../../infra/local/dynamodb';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { TABLE_DEFINITIONS } from '../../lib/table/names';
import { esmsFixture } from '../support/fixtures';
import { uniquePrefix } from '../support/stack';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const esbuildOptions = (): BuildOptions => {
  const yml = parse(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as { custom: { esbuild: Record<string, unknown> } };
  const { exclude: _exclude, target: _target, plugins: _plugins, ...options } = yml.custom.esbuild;
  // Same options, but targeting the Node that runs the tests (Lambda runs nodejs22.x).
  return { ...(options as BuildOptions), target: 'node20', absWorkingDir: PROJECT_ROOT };
};

const bundle = async (entry: string, dir: string): Promise<string> => {
  const outfile = join(dir, `${entry.replace(/\W/g, '_')}.js`);
  await build({ ...esbuildOptions(), entryPoints: [join(PROJECT_ROOT, entry)], outfile, logLevel: 'silent' });
  return outfile;
};

describe('Lambda bundles built with serverless.yml esbuild options', () => {
  it('leave the SDK default credential chain out and keep the env-only provider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const code = readFileSync(await bundle('functions/esms-sms.ts', dir), 'utf8');
    expect(code).not.toMatch(/credential-provider-ini|fromIni|SSOOIDC/);
    expect(code).toContain('AWS credentials missing from the environment');
  });

  it('store a callback and answer 200 when run like Lambda, credentials from the environment only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const endpoint = testDynamoEndpoint();
    const table = `${uniquePrefix()}-messages`;
    const client = localClient(endpoint);
    await client.send(new CreateTableCommand({ ...(TABLE_DEFINITIONS.Messages as object), TableName: table }));
    client.destroy();
    const file = await bundle('functions/esms-sms.ts', dir);
    const event = { rawQueryString: esmsFixture('cskh-batch-failed'), pathParameters: { token: 'bundle-token' }, headers: {}, requestContext: { http: { method: 'GET' } } };
    const runner = join(dir, 'run.cjs');
    // AWS_ACCESS_KEY_ID set: the client takes no static credentials, so the bundled env-only provider signs.
    writeFileSync(runner, `require(${JSON.stringify(file)}).handler(${JSON.stringify(event)}).then((r) => { process.stdout.write(JSON.stringify(r)); });`);
    const result = spawnSync(process.execPath, [runner], {
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: process.env.PATH, MESSAGES_TABLE: table, COUNTERS_TABLE: `${table}-c`, DYNAMODB_ENDPOINT: endpoint,
        AWS_REGION: 'ddblocal', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
        ESMS_CALLBACK_TOKENS: 'bundle-token', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    expect(result.stderr).not.toMatch(/Error/);
    const answer = JSON.parse(result.stdout) as { statusCode: number; body: string };
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(answer.body)).toEqual({ ok: true, duplicate: false });
    const missing = spawnSync(process.execPath, [runner], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, MESSAGES_TABLE: table, COUNTERS_TABLE: 'c', DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'ddblocal', AWS_ACCESS_KEY_ID: 'only-half', ESMS_CALLBACK_TOKENS: 'bundle-token', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    // Without the secret key the env provider refuses: the storage error becomes a 503 (the provider retries).
    expect(JSON.parse(missing.stdout)).toMatchObject({ statusCode: 503 });
  });
});
