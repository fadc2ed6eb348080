/**
 * Secrets at run time (lib/config/secrets.ts + lib/config/ssm.ts), proven offline:
 * - the loader: no-op on environment secrets, one read per TTL, rotation picked up, a failed refresh
 *   keeps the old values, a failed first read fails without quoting any value;
 * - the SSM adapter signs with the AWS SDK's own SigV4 signer: AWS's SigV4 test vectors, and every request
 *   a local fake of SSM receives verifies; it speaks GetParameters to that fake (batches of 10, one retry,
 *   errors without values);
 * - every function in serverless.yml, run with SECRETS_PATH against that fake, reads exactly the
 *   parameters its manifest (functions/<file>.json "secrets") lets its role read, and an eSMS token rotated in SSM is accepted
 *   once the cache TTL has passed, without a redeploy.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manifestModule } from '../../infra/manifests/manifests';
import { PROJECT_ROOT, readServerlessFunctions } from '../../infra/local/routes';
import { buildSecretLoader, SECRETS_REFRESH_MS, SECRETS_RETRY_MS } from '../../lib/config/secrets';
import { buildSsmFetch, signRequest } from '../../lib/config/ssm';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DEV_TOKEN_KEY, open, seal } from '../../lib/seal';
import { esmsAccountKey, SEAL_CONTEXT, tenantKey, zaloAppKey } from '../../lib/table/registry';

const PATH = '/vn-messaging-webhooks/test';

describe('the secret loader', () => {
  const loader = (fetch: (names: readonly string[]) => Promise<Record<string, string>>, path: string | null = PATH) => {
    const applied: Array<[string, string]> = [];
    let now = 1_000_000;
    const log = { warn: vi.fn() };
    const load = buildSecretLoader({ path: path ?? undefined, fetch: vi.fn(fetch), apply: (setting, raw) => applied.push([setting, raw]), now: () => now, log });
    return { load, applied, log, advance: (ms: number) => { now += ms; } };
  };

  it('does nothing when the environment holds the secrets (no SECRETS_PATH)', async () => {
    const fetch = vi.fn(async () => ({}));
    const { load, applied } = loader(fetch, null);
    await load(['esms-callback-tokens']);
    expect(fetch).not.toHaveBeenCalled();
    expect(applied).toEqual([]);
  });

  it('reads once a minute and applies each value to its setting; a rotated value arrives after a minute', async () => {
    let tokens = 'old-token';
    const fetch = vi.fn(async (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, tokens])));
    const { load, applied, advance } = loader(fetch);
    await load(['esms-callback-tokens']);
    await load(['esms-callback-tokens']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith([`${PATH}/esms-callback-tokens`]);
    tokens = 'old-token,new-token';
    advance(SECRETS_REFRESH_MS - 1);
    await load(['esms-callback-tokens']);
    expect(applied).toEqual([['ESMS_CALLBACK_TOKENS', 'old-token']]);
    advance(1);
    await load(['esms-callback-tokens']);
    expect(applied.at(-1)).toEqual(['ESMS_CALLBACK_TOKENS', 'old-token,new-token']);
  });

  it('keeps the values read earlier when a refresh fails, and waits a few seconds before trying again (the 5-minute limit: test/config/secrets-window.test.ts)', async () => {
    let fail = false;
    const fetch = vi.fn(async (names: readonly string[]) => {
      if (fail) throw new Error('ThrottlingException: Rate exceeded');
      return Object.fromEntries(names.map((name) => [name, 'k1']));
    });
    const { load, applied, log, advance } = loader(fetch);
    await load(['api-keys']);
    fail = true;
    advance(SECRETS_REFRESH_MS);
    await expect(load(['api-keys'])).resolves.toBeUndefined();
    await load(['api-keys']);
    expect(fetch).toHaveBeenCalledTimes(2);
    advance(SECRETS_RETRY_MS);
    await load(['api-keys']);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(applied).toEqual([['API_KEYS', 'k1']]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('refresh failed'), expect.objectContaining({ parameters: ['api-keys'] }));
  });

  it('fails the first read when a parameter is missing, naming the parameter and no value', async () => {
    const { load } = loader(async () => ({ [`${PATH}/zalo-apps`]: '{"1":"oa-secret"}' }));
    const error = await load(['zalo-apps', 'api-keys']).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain(`${PATH}/api-keys`);
    expect(error!.message).not.toContain('oa-secret');
  });
});

describe('the SSM adapter', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };

  /** node:crypto behind the SDK's Checksum interface, for the SDK's own signer. */
  class NodeSha256 {
    private readonly hash;
    constructor(secret?: unknown) {
      this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as string | Uint8Array);
    }
    update(data: string | Uint8Array) { this.hash.update(data); }
    async digest() { return new Uint8Array(this.hash.digest()); }
    reset() { /* single use */ }
  }

  // AWS's SigV4 test suite (aws-sig-v4-test-suite, as @smithy/signature-v4 runs it): us-east-1, service
  // "service", 2015-08-30T12:36:00Z, example credentials. Expected values are AWS's, not recomputed here.
  const SUITE_TOKEN = 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
  const SCOPE = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
  it.each([
    ['get-vanilla', 'GET', {}, '', undefined, `${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`],
    ['post-vanilla', 'POST', {}, '', undefined, `${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`],
    ['post-x-www-form-urlencoded', 'POST', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'Param1=value1', undefined,
      `${SCOPE}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`],
    ['post-sts-header-before (a session token, as on Lambda)', 'POST', {}, '', SUITE_TOKEN,
      `${SCOPE}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead`],
  ] as const)('signs AWS\'s SigV4 test vector %s', async (_name, method, headers, body, sessionToken, authorization) => {
    const signed = await signRequest({
      method, url: new URL('https://example.amazonaws.com/'), headers, body, region: 'us-east-1', service: 'service',
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(signed.authorization).toBe(authorization);
    expect(signed['x-amz-date']).toBe('20150830T123600Z');
    expect(signed['x-amz-security-token']).toBe(sessionToken);
  });

  it('reads in batches of 10 with decryption, retries once on a 5xx, and reports errors without values', async () => {
    const calls: Array<{ names: string[]; target: string | undefined; auth: string | undefined; request: IncomingMessage; body: string }> = [];
    let failNext = true;
    const fake = await startFakeSsm((names, request, body) => {
      calls.push({ names, target: request.headers['x-amz-target'] as string, auth: request.headers.authorization, request, body });
      if (failNext) {
        failNext = false;
        return { status: 500, body: { __type: 'InternalServerError', message: 'try again' } };
      }
      if (names.includes('/denied')) return { status: 400, body: { __type: 'AccessDeniedException', message: 'not authorized to perform ssm:GetParameters on resource /denied' } };
      return { status: 200, body: { Parameters: names.filter((n) => !n.endsWith('missing')).map((Name) => ({ Name, Value: `value-of-${Name}` })), InvalidParameters: [] } };
    });
    try {
      const env = { AWS_REGION: 'ap-southeast-1', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_SSM: fake.url };
      const fetchParameters = buildSsmFetch({ env });
      const names = [...Array.from({ length: 11 }, (_, i) => `/p/${i}`), '/p/missing'];
      const values = await fetchParameters(names);
      expect(Object.keys(values)).toEqual(names.slice(0, 11));
      expect(values['/p/3']).toBe('value-of-/p/3');
      expect(calls.map((call) => call.names.length)).toEqual([10, 10, 2]); // the first batch twice (500, then 200)
      expect(calls.every((call) => call.target === 'AmazonSSM.GetParameters' && call.auth?.startsWith('AWS4-HMAC-SHA256 Credential=AKID/'))).toBe(true);
      // What reached the server (headers as fetch sent them, body) verifies: the SDK's signer, given the same
      // signed headers and the request's own x-amz-date, computes the same authorization.
      for (const { request, body, auth } of calls) {
        const signedNames = /SignedHeaders=([^,]+)/.exec(auth ?? '')![1]!.split(';');
        expect(signedNames).toEqual(['content-type', 'host', 'x-amz-date', 'x-amz-target']);
        const verifier = new SignatureV4({ credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, region: 'ap-southeast-1', service: 'ssm', sha256: NodeSha256, applyChecksum: false });
        const date = String(request.headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
        const expected = await verifier.sign({
          method: request.method!, protocol: 'http:', hostname: '127.0.0.1', path: request.url!, query: {}, body,
          headers: Object.fromEntries(signedNames.filter((name) => name !== 'x-amz-date').map((name) => [name, String(request.headers[name])])),
        }, { signingDate: new Date(date) });
        expect(auth).toBe(expected.headers.authorization);
      }
      await expect(fetchParameters(['/denied'])).rejects.toThrow(/400 AccessDeniedException/);
    } finally {
      await fake.stop();
    }
  });
});

type FakeAnswer = { status: number; body: unknown };
const startFakeSsm = async (answer: (names: string[], request: IncomingMessage, body: string) => FakeAnswer) => {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const { Names } = JSON.parse(raw) as { Names: string[] };
      const { status, body } = answer(Names, request, raw);
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const manifests = manifestModule.loadManifests();

describe('each function reads exactly its manifest\'s SSM parameters at run time', () => {
  const TOKEN_KEY = Buffer.alloc(32, 9).toString('base64');
  const values: Record<string, string> = {
    'esms-callback-tokens': 'ssm-token-1',
    'api-keys': 'ssm-api-key',
    'zalo-apps': JSON.stringify({ '3482178216594085616': 'ssm-oa-secret' }),
    'zalo-app-secrets': JSON.stringify({ '3482178216594085616': 'ssm-app-secret' }),
    'zalo-token-key': TOKEN_KEY,
    'zalo-state-secret': 'ssm-state-secret',
    'admin-api-keys': 'ssm-admin-key',
    'esms-api-key': 'ssm-esms-api-key',
    'esms-secret-key': 'ssm-esms-secret-key',
  };
  const requested: string[][] = [];
  let fake: Awaited<ReturnType<typeof startFakeSsm>>;
  const saved = { ...process.env };

  const tables = tableNames(`sec${Date.now().toString(36)}`);
  beforeAll(async () => {
    const admin = localClient(testDynamoEndpoint());
    await ensureTables(admin, tables);
    admin.destroy();
    fake = await startFakeSsm((names) => {
      requested.push(names);
      return { status: 200, body: { Parameters: names.map((Name) => ({ Name, Value: values[Name.slice(PATH.length + 1)] })) } };
    });
    // As on AWS: tables and SECRETS_PATH in the environment, no secret. DynamoDB Local stands in for DynamoDB.
    for (const name of ['ESMS_CALLBACK_TOKENS', 'API_KEYS', 'ZALO_APPS', 'ZALO_APP_SECRETS', 'ZALO_TOKEN_KEY', 'ZALO_STATE_SECRET']) delete process.env[name];
    Object.assign(process.env, {
      SECRETS_PATH: PATH,
      AWS_ENDPOINT_URL_SSM: fake.url,
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      MESSAGES_TABLE: tables.Messages,
      COUNTERS_TABLE: tables.Counters,
      REGISTRY_TABLE: tables.Registry,
      DYNAMODB_ENDPOINT: testDynamoEndpoint(),
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await fake?.stop();
  });

  const event = (path: string, method = 'GET', extra: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 => ({
    version: '2.0', routeKey: `${method} ${path}`, rawPath: path, rawQueryString: '', headers: { host: 'test.local' }, isBase64Encoded: false,
    requestContext: { domainName: 'test.local', http: { method, path } } as APIGatewayProxyEventV2['requestContext'],
    ...extra,
  });

  const functions = Object.entries(readServerlessFunctions());
  it.each(functions.map(([name, fn]) => [name, fn.handler]))('%s (%s)', async (name, handler) => {
    vi.resetModules();
    requested.length = 0;
    const dot = handler.lastIndexOf('.');
    const mod = (await import(pathToFileURL(join(PROJECT_ROOT, `${handler.slice(0, dot)}.ts`)).href)) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const fn = mod[handler.slice(dot + 1)]!;
    const http = readServerlessFunctions()[name]!.events?.find((e) => e.httpApi)?.httpApi;
    const invoke = () => http
      ? fn(event(http.path.replace('{token}', 'not-the-token'), http.method))
      : name === 'aggregator' ? fn({ Records: [], shardId: 'shard-1' }) : fn({});
    await invoke().catch(() => undefined); // the answer does not matter here: which parameters were read does
    await invoke().catch(() => undefined); // a warm call reads nothing new
    const wanted = (manifests[name]?.secrets ?? []).map((p) => `${PATH}/${p}`);
    expect(requested.flat().sort()).toEqual(wanted.sort());
    expect(requested.length).toBe(wanted.length ? 1 : 0);
  });

  it('an eSMS token rotated in SSM is accepted after the cache TTL, without a redeploy; both are accepted during the rotation', async () => {
    vi.resetModules();
    const { handler } = (await import('../../functions/esms-sms')) as { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> };
    const call = (token: string) => handler(event(`/esms/${token}/sms`, 'GET', { pathParameters: { token }, rawQueryString: 'SMSID=' }));
    expect((await call('ssm-token-2')).statusCode).toBe(404);
    values['esms-callback-tokens'] = 'ssm-token-1,ssm-token-2';
    expect((await call('ssm-token-2')).statusCode, 'cached until the TTL').toBe(404);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SECRETS_REFRESH_MS + 1 });
    try {
      expect((await call('ssm-token-2')).statusCode, 'new token').toBe(400); // authenticated; the empty callback is malformed
      expect((await call('ssm-token-1')).statusCode, 'old token during the rotation').toBe(400);
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a stage the public local token key is refused by the admin routes, the webhook and reconciliation (not only by onboarding)', async () => {
    const doc = DynamoDBDocumentClient.from(localClient(testDynamoEndpoint()));
    // A stage whose zalo-token-key is the public key, with values already sealed under it (as a stage that ran with it would have).
    values['zalo-token-key'] = LOCAL_DEV_TOKEN_KEY;
    const devKey = Buffer.from(LOCAL_DEV_TOKEN_KEY, 'base64');
    const appId = '9900000000000000001';
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: { ...tenantKey('devkey'), name: 'devkey', createdAt: 0 } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...zaloAppKey(appId), appId, tenant: 'devkey', oaSecretKey: seal(devKey, 'oa-key', SEAL_CONTEXT.oaSecretKey(appId)), createdAt: 0, updatedAt: 0,
    } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...esmsAccountKey('devkey'), tenant: 'devkey', sealed: seal(devKey, JSON.stringify({ apiKey: 'a', secretKey: 'b' }), SEAL_CONTEXT.esmsAccount('devkey')), updatedAt: 0,
    } }));
    const handlerOf = async (file: string) => {
      vi.resetModules();
      return ((await import(pathToFileURL(join(PROJECT_ROOT, `functions/${file}.ts`)).href)) as { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> }).handler;
    };
    const admin = { authorization: 'Bearer ssm-admin-key', 'content-type': 'application/json', host: 'test.local' };
    try {
      const put = await (await handlerOf('api-admin-zalo-apps-put'))(event(`/api/admin/tenants/devkey/zalo-apps/${appId}`, 'PUT', {
        headers: admin, pathParameters: { id: 'devkey', appId }, body: JSON.stringify({ oaSecretKey: 'new-oa-key' }),
      }));
      expect(put.statusCode, 'sealing a new OA Secret Key').toBe(500);
      const body = JSON.stringify({ app_id: appId, event_name: 'follow', oa_id: '1', follower: { id: '2' }, timestamp: String(Date.now()) });
      const mac = createHash('sha256').update(`${appId}${body}${JSON.parse(body).timestamp as string}oa-key`).digest('hex');
      const webhook = await (await handlerOf('zalo-webhook'))(event('/zalo/webhook', 'POST', { headers: { 'x-zevent-signature': `mac=${mac}`, 'content-type': 'application/json' }, body }));
      expect(webhook.statusCode, 'opening an app\'s OA Secret Key').toBe(500);
      const reconcile = await (await handlerOf('api-admin-reconcile'))(event('/api/admin/reconcile', 'POST', { headers: admin, body: JSON.stringify({ tenant: 'devkey' }) }));
      expect(reconcile.statusCode, 'opening an eSMS account').toBe(500);
    } finally {
      values['zalo-token-key'] = TOKEN_KEY;
    }
  });

  it('rotating zalo-token-key: with "<new>,<old>" a value sealed with the old key still opens (the webhook accepts), and new values are sealed with the new key', async () => {
    const doc = DynamoDBDocumentClient.from(localClient(testDynamoEndpoint()));
    const oldKey = Buffer.alloc(32, 3);
    const newKey = Buffer.alloc(32, 4);
    values['zalo-token-key'] = `${newKey.toString('base64')},${oldKey.toString('base64')}`;
    const appId = '9900000000000000002';
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: { ...tenantKey('rotating'), name: 'rotating', createdAt: 0 } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...zaloAppKey(appId), appId, tenant: 'rotating', oaSecretKey: seal(oldKey, 'oa-key', SEAL_CONTEXT.oaSecretKey(appId)), createdAt: 0, updatedAt: 0,
    } }));
    const handlerOf = async (file: string) => {
      vi.resetModules();
      return ((await import(pathToFileURL(join(PROJECT_ROOT, `functions/${file}.ts`)).href)) as { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> }).handler;
    };
    try {
      const body = JSON.stringify({ app_id: appId, event_name: 'follow', oa_id: '1', follower: { id: '2' }, timestamp: String(Date.now()) });
      const mac = createHash('sha256').update(`${appId}${body}${JSON.parse(body).timestamp as string}oa-key`).digest('hex');
      const webhook = await (await handlerOf('zalo-webhook'))(event('/zalo/webhook', 'POST', { headers: { 'x-zevent-signature': `mac=${mac}`, 'content-type': 'application/json' }, body }));
      expect([webhook.statusCode, JSON.parse(webhook.body ?? '{}')]).toEqual([200, { ok: true, duplicate: false }]);
      const put = await (await handlerOf('api-admin-zalo-apps-put'))(event(`/api/admin/tenants/rotating/zalo-apps/${appId}`, 'PUT', {
        headers: { authorization: 'Bearer ssm-admin-key', 'content-type': 'application/json', host: 'test.local' }, pathParameters: { id: 'rotating', appId }, body: JSON.stringify({ oaSecretKey: 'rotated-oa-key' }),
      }));
      expect(put.statusCode).toBe(200);
      const stored = (await doc.send(new GetCommand({ TableName: tables.Registry, Key: zaloAppKey(appId) }))).Item as { oaSecretKey: string };
      expect(open(newKey, stored.oaSecretKey, SEAL_CONTEXT.oaSecretKey(appId))).toBe('rotated-oa-key');
      expect(() => open(oldKey, stored.oaSecretKey, SEAL_CONTEXT.oaSecretKey(appId))).toThrow();
    } finally {
      values['zalo-token-key'] = TOKEN_KEY;
    }
  });

  it('a rotated zalo-state-secret is used by a warm instance within the rotation window: a link issued under the old one stops working', async () => {
    process.env.ZALO_OA_CALLBACK_URL = 'https://api.example.com/zalo/oa-callback';
    vi.resetModules();
    const links = ((await import('../../functions/api-zalo-oa-connect-links')) as { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> }).handler;
    const connect = ((await import('../../functions/zalo-oa-connect')) as { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> }).handler;
    const issue = async () => {
      const answer = await links(event('/api/zalo/oa-connect-links', 'POST', { headers: { authorization: 'Bearer ssm-api-key', 'content-type': 'application/json' }, body: JSON.stringify({ appId: '3482178216594085616' }) }));
      expect(answer.statusCode, answer.body).toBe(201);
      return new URL((JSON.parse(answer.body ?? '{}') as { url: string }).url).searchParams.get('link')!;
    };
    const open = (link: string) => connect(event('/zalo/oa-connect', 'GET', { queryStringParameters: { link } }));
    try {
      expect((await open(await issue())).statusCode, 'a warm instance, before the rotation').toBe(302);
      const before = await issue();
      values['zalo-state-secret'] = 'ssm-state-secret-rotated';
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SECRETS_REFRESH_MS + 1 });
      expect((await open(before)).statusCode, 'a link MACed with the old secret').toBe(403);
      expect((await open(await issue())).statusCode, 'a link issued under the new secret').toBe(302);
    } finally {
      vi.useRealTimers();
      values['zalo-state-secret'] = 'ssm-state-secret';
      delete process.env.ZALO_OA_CALLBACK_URL;
    }
  });
});
