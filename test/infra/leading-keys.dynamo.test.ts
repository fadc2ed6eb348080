/**
 * The key globs of the manifests hold in practice. Each function's real handler runs on DynamoDB Local
 * through its own gate: a proxy that judges every DynamoDB request by that function's manifest as IAM would
 * (infra/tools/iam-simulate.ts: the action on the table or index, every partition key against the
 * LeadingKeys globs) and answers AccessDeniedException when IAM would. The scenarios drive each function
 * through its paths (every eSMS fixture on every callback route, every Zalo fixture, malformed requests that
 * are kept as rejected, replays, stream records of every kind, the late sweep and reconciliation on old
 * messages, the OA onboarding and refresh); a glob that misses a key a function really touches fails here,
 * where DynamoDB Local (which has no IAM) would not. The gate first shows it bites, on a narrowed manifest.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FAKE_ESMS_DEFAULT_KEYS, startFakeEsms, type FakeEsms } from '../../infra/fakes/esms-api';
import { startFakeSqs } from '../../infra/fakes/sqs/server';
import { manifestModule, type Manifest } from '../../infra/manifests/manifests';
import { buildHttpApiEvent, lambdaContext, toHttpAnswer } from '../../infra/local/apigw';
import { localClient } from '../../infra/local/dynamodb';
import { httpRoutes, matchPath, PROJECT_ROOT } from '../../infra/local/routes';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { globMatches } from '../../infra/tools/iam-check';
import { accessesOf, denialOf, type TableDefinitions } from '../../infra/tools/iam-simulate';
import { normalisePhone } from '../../lib/esms/phone';
import { buildRejectedStore } from '../../lib/store/rejected';
import { destinationKey } from '../../lib/table/destinations';
import { erasureMarkKey } from '../../lib/table/esms';
import { TABLE_DEFINITIONS } from '../../lib/table/names';
import { vietnamDay } from '../../lib/time';
import { startFakeZalo, type FakeZalo } from '../../infra/fakes/zalo-api';
import { buildConsole } from '../../console/build';
import { esmsFixture, esmsFixtureNames, ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixtures } from '../support/fixtures';
import { documentClient, uniquePrefix } from '../support/stack';
import { fresh, scanAll, signed } from '../zalo/client';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const manifests = manifestModule.loadManifests();
const TOKEN = 'gate-token';
const API_KEY = 'gate-api-key';
const ADMIN_KEY = 'gate-admin-key';
const OA = '1397492183140006179';
const USER = '5308693166941955879';
const tables = tableNames(uniquePrefix());
const tableOf = (name: string) => Object.entries(tables).find(([, physical]) => physical === name)?.[0];

/** A proxy to DynamoDB Local that lets through only what `manifest` grants, and keeps what it saw. */
interface Gate {
  url: string;
  denials: string[];
  /** `dynamodb:Action on Table[/index/Name]` of every allowed request. */
  used: Set<string>;
  /** `Table[/index/Name] <partition key>` of every allowed request. */
  keys: Set<string>;
  close(): Promise<void>;
}

const startGate = async (upstream: string, manifest: Pick<Manifest, 'tables' | 'indexes'>): Promise<Gate> => {
  const target = new URL(upstream);
  const gate = { url: '', denials: [] as string[], used: new Set<string>(), keys: new Set<string>() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const accesses = accessesOf(String(req.headers['x-amz-target'] ?? ''), JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>, tableOf, TABLE_DEFINITIONS as TableDefinitions);
      const denied = accesses.map((access) => denialOf(manifest, access)).filter((denial): denial is string => denial !== undefined);
      if (denied.length > 0) {
        gate.denials.push(...denied);
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: denied.join('; ') }));
        return;
      }
      for (const access of accesses) {
        const where = `${access.table}${access.index ? `/index/${access.index}` : ''}`;
        gate.used.add(`${access.action} on ${where}`);
        for (const key of access.keys) gate.keys.add(`${where} ${key}`);
      }
      const forward = request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (error) => res.writeHead(502).end(String(error)));
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(gate, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const gates = new Map<string, Gate>();

/** `fn`'s handler, freshly imported (a new instance) with its DynamoDB client pointed at `gate`. */
const load = async (fn: string, gate: Gate): Promise<Handler> => {
  process.env.DYNAMODB_ENDPOINT = gate.url;
  vi.resetModules();
  const handler = manifests[fn]!.handler;
  const dot = handler.lastIndexOf('.');
  const mod = (await import(pathToFileURL(join(PROJECT_ROOT, `${handler.slice(0, dot)}.ts`)).href)) as Record<string, Handler>;
  return mod[handler.slice(dot + 1)]!;
};

/** The function `fn` under its own manifest's gate (one gate per function for the whole file). */
const asFunction = async (fn: string) => {
  const gate = gates.get(fn) ?? await startGate(testDynamoEndpoint(), manifests[fn]!);
  gates.set(fn, gate);
  const handler = await load(fn, gate);
  const route = httpRoutes().find((r) => r.functionName === fn);
  /** An HTTP API request to the function's route; answers the status and the parsed body. */
  const call = async (method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}) => {
    const params = matchPath(route!.path, url.split('?')[0]!);
    if (!params) throw new Error(`${url} is not ${fn}'s route ${route!.path}`);
    const event = buildHttpApiEvent({ method, url, headers: { host: 'gate.test', ...options.headers }, body: Buffer.from(options.body ?? ''), sourceIp: '127.0.0.1' }, `${route!.method} ${route!.path}`, params);
    const answer = toHttpAnswer((await handler(event, lambdaContext(fn, 30_000))) as Parameters<typeof toHttpAnswer>[0]);
    const text = answer.body.toString('utf8');
    return { status: answer.statusCode, location: answer.headers.location, cookie: answer.headers['set-cookie']?.split(';')[0], body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> };
  };
  return { gate, call, invoke: (event: unknown, timeoutMs = 60_000) => handler(event, lambdaContext(fn, timeoutMs)) };
};

/** The manifest's globs (`Table[/index/Name] glob`) that no key `fn` touched here matched. */
const unusedGlobs = (fn: string): string[] => {
  const m = manifests[fn]!;
  const keys = [...(gates.get(fn)?.keys ?? [])];
  const globs = [
    ...manifestModule.tableGrants(m).flatMap(([table, grant]) => (grant.leadingKeys ?? []).map((glob) => [table, glob] as const)),
    ...Object.entries(m.indexes ?? {}).flatMap(([table, indexes]) => Object.entries(indexes).flatMap(([index, scope]) => (scope.leadingKeys ?? []).map((glob) => [`${table}/index/${index}`, glob] as const))),
  ];
  return globs.filter(([where, glob]) => !keys.some((entry) => entry.startsWith(`${where} `) && globMatches(glob, entry.slice(where.length + 1)))).map(([where, glob]) => `${where} ${glob}`);
};

const bearer = (key = API_KEY) => ({ authorization: `Bearer ${key}` });
const today = () => vietnamDay(Date.now());
const smsIdOf = (query: string) => new URLSearchParams(query).get('SMSID') ?? '';
const ROUTES = ['sms', 'viber', 'zns', 'zalo', 'journey'] as const;

let fakeEsms: FakeEsms;
let fakeZalo: FakeZalo;
const saved = { ...process.env };
beforeAll(async () => {
  const admin = localClient(testDynamoEndpoint());
  await ensureTables(admin, tables);
  admin.destroy();
  fakeEsms = await startFakeEsms(FAKE_ESMS_DEFAULT_KEYS);
  fakeZalo = await startFakeZalo({ apps: { [ZALO_FIXTURE_APP_ID]: 'gate-app-secret' } });
  Object.assign(process.env, {
    MESSAGES_TABLE: tables.Messages,
    COUNTERS_TABLE: tables.Counters,
    REGISTRY_TABLE: tables.Registry,
    AWS_REGION: 'ddblocal',
    ESMS_CALLBACK_TOKENS: TOKEN,
    API_KEYS: API_KEY,
    ADMIN_API_KEYS: ADMIN_KEY,
    ZALO_APPS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: ZALO_FIXTURE_SECRET }),
    ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: 'gate-app-secret' }),
    ZALO_STATE_SECRET: 'gate-state-secret',
    ZALO_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64'),
    ZALO_OAUTH_BASE_URL: fakeZalo.url,
    ZALO_OPENAPI_BASE_URL: fakeZalo.url,
    ZALO_OA_CALLBACK_URL: 'https://gate.test/zalo/oa-callback',
    ESMS_API_BASE_URL: fakeEsms.url,
    ESMS_STATUS_API_BASE_URL: fakeEsms.url,
    ESMS_API_KEY: FAKE_ESMS_DEFAULT_KEYS.apiKey,
    ESMS_SECRET_KEY: FAKE_ESMS_DEFAULT_KEYS.secretKey,
    LATE_REPORT_HOURS: '72',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  delete process.env.SECRETS_PATH;
});

afterAll(async () => {
  vi.useRealTimers();
  // Grants no scenario here used: candidates for a narrower manifest (or a path this file does not drive yet).
  const unused = Object.entries(manifests).flatMap(([fn, m]) => {
    const used = gates.get(fn)?.used ?? new Set<string>();
    const granted = [
      ...manifestModule.tableGrants(m).flatMap(([table, grant]) => grant.actions.map((action) => `${action} on ${table}`)),
      ...Object.entries(m.indexes ?? {}).flatMap(([table, indexes]) => Object.keys(indexes).map((index) => `dynamodb:Query on ${table}/index/${index}`)),
    ];
    return granted.filter((grant) => !used.has(grant)).map((grant) => `${fn}: ${grant}`);
  });
  if (unused.length > 0) console.log(`[leading-keys] granted but not used by these scenarios:\n  ${unused.join('\n  ')}`);
  const idle = Object.keys(manifests).flatMap((fn) => unusedGlobs(fn).map((glob) => `${fn}: ${glob}`));
  if (idle.length > 0) console.log(`[leading-keys] key globs no scenario here needed:\n  ${idle.join('\n  ')}`);
  await Promise.all([...gates.values()].map((gate) => gate.close()));
  await fakeEsms?.stop();
  await fakeZalo?.close();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

/** INSERT stream records of stored items, as the table's stream delivers them. */
const streamRecordsOf = (items: Array<Record<string, unknown>>): DynamoDBRecord[] => items.map((item, i) => ({
  eventID: String(i), eventName: 'INSERT', eventSource: 'aws:dynamodb',
  dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }) as never, NewImage: marshall(item, { removeUndefinedValues: true }) as never, SequenceNumber: String(1000 + i), StreamViewType: 'NEW_AND_OLD_IMAGES', ApproximateCreationDateTime: Math.floor(Date.now() / 1000) },
}));

describe('the gate (IAM as the manifests say, in front of DynamoDB Local)', () => {
  it('refuses what a narrower manifest does not grant: an eSMS callback function without the rejected glob cannot keep a malformed callback', async () => {
    const narrowed = { tables: { Messages: { actions: manifestModule.tableGrants(manifests.esmsSms!).find(([table]) => table === 'Messages')![1].actions, leadingKeys: ['T#*#M#*'] } } };
    const gate = await startGate(testDynamoEndpoint(), narrowed);
    try {
      const handler = await load('esmsSms', gate);
      const event = buildHttpApiEvent({ method: 'GET', url: `/esms/${TOKEN}/sms?SMSID=&SendStatus=5`, headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' }, 'GET /esms/{token}/sms', { token: TOKEN });
      const answer = toHttpAnswer((await handler(event, lambdaContext('esmsSms', 6000))) as Parameters<typeof toHttpAnswer>[0]);
      // The pipeline retries a refused write within its budget, so the one denial may repeat; no other access is refused.
      expect(gate.denials.length).toBeGreaterThan(0);
      expect(new Set(gate.denials)).toEqual(new Set([expect.stringMatching(/^dynamodb:PutItem on Messages for key T#default#REJ#\d{4}-\d{2}-\d{2}: outside LeadingKeys T#\*#M#\*$/)]));
      expect(answer.statusCode).toBeGreaterThanOrEqual(500); // the storage failure and no buffer configured: eSMS retries
    } finally {
      await gate.close();
    }
  });
});

describe('each function under its own manifest reaches only the keys its manifest names', () => {
  const expectClean = (fn: string, requests: 'some' | 'none' = 'some') => {
    const gate = gates.get(fn)!;
    expect(gate.denials, fn).toEqual([]);
    if (requests === 'some') expect(gate.used.size, `${fn} made DynamoDB requests`).toBeGreaterThan(0);
    else expect([...gate.used], `${fn} made no DynamoDB request`).toEqual([]);
  };

  // First, so every function that resolves through the registry has touched its registry keys before the
  // scenarios below check that each of their globs was needed.
  it('the tenant registry: every admin route (admin key; a tenant key is 403), then a registry token, key and pending app through the functions that resolve them', async () => {
    const asAdmin = (body?: unknown) => ({ headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const admin = async (fn: string, method: string, url: string, body?: unknown) => (await asFunction(fn)).call(method, url, asAdmin(body));
    expect((await admin('apiAdminTenantsCreate', 'POST', '/api/admin/tenants', { id: 'gate-co' })).status).toBe(201);
    expect((await admin('apiAdminTenantsList', 'GET', '/api/admin/tenants')).status).toBe(200);
    const key = (await admin('apiAdminApiKeysCreate', 'POST', '/api/admin/tenants/gate-co/api-keys')).body as { key: string; keyId: string };
    const token = (await admin('apiAdminEsmsTokensCreate', 'POST', '/api/admin/tenants/gate-co/esms-tokens')).body as { token: string; tokenId: string };
    const appId = '9400000000000000001';
    expect((await admin('apiAdminZaloAppsPut', 'PUT', `/api/admin/tenants/gate-co/zalo-apps/${appId}`, {})).status).toBe(201);
    const at = Date.now();
    const body = JSON.stringify({ app_id: appId, sender: { id: USER }, recipient: { id: OA }, event_name: 'user_send_text', message: { text: 'hi', msg_id: 'gatepending0000001' }, timestamp: String(at) });
    const webhook = await asFunction('zaloWebhook');
    expect((await webhook.call('POST', '/zalo/webhook', { headers: signed(body, undefined, 'gate-oa-secret').headers, body })).body).toEqual({ ok: true, pending: true });
    expect((await admin('apiAdminZaloAppsPut', 'PUT', `/api/admin/tenants/gate-co/zalo-apps/${appId}`, { oaSecretKey: 'gate-oa-secret' })).body).toMatchObject({ drain: { ingested: 1, discarded: 0 } });
    expect((await admin('apiAdminZaloAppsDrain', 'POST', `/api/admin/tenants/gate-co/zalo-apps/${appId}/drain`)).status).toBe(200);
    expect((await admin('apiAdminEsmsAccountPut', 'PUT', '/api/admin/tenants/gate-co/esms-account', { apiKey: 'gate-co-key', secretKey: 'gate-co-secret' })).status).toBe(200);
    expect((await admin('apiAdminSiteVerificationPut', 'PUT', '/api/admin/tenants/gate-co/site-verification/gatecode1')).status).toBe(201);
    // The registry's token, key and app through the functions that resolve them.
    expect((await (await asFunction('esmsSms')).call('GET', `/esms/${token.token}/sms?${esmsFixture('cskh-batch-failed')}`)).status).toBe(200);
    for (const route of ROUTES) expect((await (await asFunction(`esms${route[0]!.toUpperCase()}${route.slice(1)}`)).call('GET', `/esms/${token.token}/${route}?SMSID=gate-reg-${route}&SendStatus=5&TypeId=2`)).status).not.toBe(404);
    expect((await (await asFunction('siteVerification')).call('GET', '/')).body).toContain('gatecode1');
    expect((await (await asFunction('apiReplay')).call('POST', '/api/replay', { headers: { ...bearer(key.key), 'content-type': 'application/json' }, body: JSON.stringify({ day: today() }) })).status).toBe(200);
    // Last-used times (lib/tenants/last-used.ts): a failed write is swallowed, so an IAM denial would be
    // silent; here each function that records one does it under its own manifest's gate. Every read route
    // with the registry key, the callback routes with the registry token (above), the webhook with the app's key.
    const verified = body.replace('gatepending0000001', 'gatelastused000001').replace(String(at), String(Date.now()));
    expect((await webhook.call('POST', '/zalo/webhook', { headers: signed(verified, undefined, 'gate-oa-secret').headers, body: verified })).body).toMatchObject({ ok: true, duplicate: false });
    const readRoutes = Object.entries(manifests).filter(([, m]) => 'httpApi' in m.trigger && m.trigger.httpApi.path.startsWith('/api/') && !m.trigger.httpApi.path.startsWith('/api/admin/')
      && manifestModule.tableGrants(m).some(([table, grant]) => table === 'Registry' && (grant.leadingKeys ?? []).includes('APIKEY#*')));
    expect(readRoutes.length).toBeGreaterThan(20);
    for (const [fn, m] of readRoutes) {
      const { method, path } = (m.trigger as { httpApi: { method: string; path: string } }).httpApi;
      const answer = await (await asFunction(fn)).call(method, path.replace(/\{[^}]+\}/g, 'gate1'), { headers: { ...bearer(key.key), 'content-type': 'application/json' }, body: '{}' });
      expect(answer.status, fn).not.toBe(401);
    }
    const recorders = [...readRoutes.map(([fn]) => fn), ...ROUTES.map((route) => `esms${route[0]!.toUpperCase()}${route.slice(1)}`), 'zaloWebhook'];
    for (const fn of recorders) {
      const gate = gates.get(fn)!;
      expect(gate.denials, fn).toEqual([]);
      expect(gate.used, fn).toContain('dynamodb:UpdateItem on Registry');
      expect(gate.keys, fn).toContain('Registry T#gate-co#CRED');
    }
    const index = await scanAll(documentClient(testDynamoEndpoint()), tables.Registry);
    const lastUsed = (sk: string) => index.find((item) => item.pk === 'T#gate-co#CRED' && item.sk === sk)?.lastUsedAt;
    expect([lastUsed(`api-key#${key.keyId}`), lastUsed(`esms-token#${token.tokenId}`), lastUsed(`zalo-app#${appId}`)]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    // A tenant key on every admin route: 403 (resolving it reads APIKEY#).
    const adminRoutes = Object.entries(manifests).filter(([, m]) => 'httpApi' in m.trigger && m.trigger.httpApi.path.startsWith('/api/admin/'));
    for (const [fn, m] of adminRoutes) {
      const { method, path } = (m.trigger as { httpApi: { method: string; path: string } }).httpApi;
      const url = path.replace('{id}', 'gate-co').replace('{keyId}', key.keyId).replace('{tokenId}', token.tokenId).replace('{appId}', appId).replace('{code}', 'gatecode1');
      expect((await (await asFunction(fn)).call(method, url, { headers: { ...bearer(key.key), 'content-type': 'application/json' }, body: '{}' })).status, fn).toBe(403);
    }
    // A pending app that kept a request, removed: its item, what it kept and its counts, then its index entry.
    const dropApp = '9400000000000000003';
    expect((await admin('apiAdminZaloAppsPut', 'PUT', `/api/admin/tenants/gate-co/zalo-apps/${dropApp}`, {})).status).toBe(201);
    const dropBody = body.replace(appId, dropApp);
    expect((await webhook.call('POST', '/zalo/webhook', { headers: signed(dropBody, undefined, 'gate-oa-secret').headers, body: dropBody })).body).toEqual({ ok: true, pending: true });
    expect((await admin('apiAdminZaloAppsDelete', 'DELETE', `/api/admin/tenants/gate-co/zalo-apps/${dropApp}`)).body).toMatchObject({ ok: true, appId: dropApp, changed: 3 });
    expect((await admin('apiAdminZaloAppsDelete', 'DELETE', `/api/admin/tenants/gate-co/zalo-apps/${dropApp}`)).status).toBe(404);
    // The lifecycle: the inventory, a suspension and its end, then the offboarding of a tenant that has one of everything.
    expect((await admin('apiAdminTenantsGet', 'GET', '/api/admin/tenants/gate-co')).body).toMatchObject({ credentials: { apiKeys: [{ keyId: key.keyId }], zaloApps: [{ appId, hasKey: true }] } });
    expect((await admin('apiAdminTenantsPatch', 'PATCH', '/api/admin/tenants/gate-co', { suspended: true })).body).toMatchObject({ apiKeysChanged: 1 });
    expect((await admin('apiAdminTenantsPatch', 'PATCH', '/api/admin/tenants/gate-co', { suspended: false })).body).toMatchObject({ apiKeysChanged: 1 });
    expect((await admin('apiAdminTenantsCreate', 'POST', '/api/admin/tenants', { id: 'gate-gone' })).status).toBe(201);
    expect((await admin('apiAdminApiKeysCreate', 'POST', '/api/admin/tenants/gate-gone/api-keys')).status).toBe(201);
    const goneToken = (await admin('apiAdminEsmsTokensCreate', 'POST', '/api/admin/tenants/gate-gone/esms-tokens')).body as { token: string };
    const goneApp = '9400000000000000002';
    expect((await admin('apiAdminZaloAppsPut', 'PUT', `/api/admin/tenants/gate-gone/zalo-apps/${goneApp}`, {})).status).toBe(201);
    const goneBody = body.replace(appId, goneApp);
    expect((await webhook.call('POST', '/zalo/webhook', { headers: signed(goneBody, undefined, 'gate-oa-secret').headers, body: goneBody })).body).toEqual({ ok: true, pending: true });
    expect((await admin('apiAdminEsmsAccountPut', 'PUT', '/api/admin/tenants/gate-gone/esms-account', { apiKey: 'k', secretKey: 's' })).status).toBe(200);
    expect((await admin('apiAdminSiteVerificationPut', 'PUT', '/api/admin/tenants/gate-gone/site-verification/gatecode2')).status).toBe(201);
    expect((await (await asFunction('esmsSms')).call('GET', `/esms/${goneToken.token}/sms?${esmsFixture('cskh-batch-failed')}`)).status).toBe(200);
    // The first call removes every registry item and sweeps the messages table; the counters wait 60 s (the stack test runs to the end).
    expect((await admin('apiAdminTenantsDelete', 'DELETE', '/api/admin/tenants/gate-gone?confirm=gate-gone')).body).toMatchObject({ ok: true, incomplete: true });
    expect((await admin('apiAdminSiteVerificationDelete', 'DELETE', '/api/admin/tenants/gate-co/site-verification/gatecode1')).status).toBe(200);
    expect((await admin('apiAdminApiKeysRevoke', 'DELETE', `/api/admin/tenants/gate-co/api-keys/${key.keyId}`)).status).toBe(200);
    expect((await admin('apiAdminEsmsTokensRevoke', 'DELETE', `/api/admin/tenants/gate-co/esms-tokens/${token.tokenId}`)).status).toBe(200);
    for (const [fn] of adminRoutes) {
      expectClean(fn);
      if (!/^apiAdmin(Tenants|ApiKeys|EsmsTokens|ZaloApps|EsmsAccount|SiteVerification)/.test(fn)) continue; // other admin routes: their own scenarios
      // The Zalo app routes drain through the webhook's own ingestion: its Messages globs are the webhook's, checked there.
      const globs = fn.startsWith('apiAdminZaloApps') ? unusedGlobs(fn).filter((glob) => glob.startsWith('Registry')) : unusedGlobs(fn);
      expect(globs, `${fn}: every key glob of the manifest is needed`).toEqual([]);
    }
  });

  it.each(ROUTES)('esms-%s: every eSMS fixture, a batch, a retry and a malformed callback (kept as rejected)', async (route) => {
    const fn = `esms${route[0]!.toUpperCase()}${route.slice(1)}`;
    const { call } = await asFunction(fn);
    const statuses = new Set<number>();
    for (const name of esmsFixtureNames()) statuses.add((await call('GET', `/esms/${TOKEN}/${route}?${esmsFixture(name)}`)).status);
    // One recipient's callback of a 1,000-recipient batch: its item goes to a batch shard (T#…#MB#…).
    const large = esmsFixture('cskh-batch-failed').replace(/SMSID=([^&]+)/, `SMSID=big-${route}`).replace(/TotalReceiver=\d+/, 'TotalReceiver=1000');
    statuses.add((await call('GET', `/esms/${TOKEN}/${route}?${large}`)).status);
    // Another recipient of another large batch, whose number the projector scenario below erases.
    statuses.add((await call('GET', `/esms/${TOKEN}/${route}?${large.replace(/SMSID=big-/, 'SMSID=bigx-').replace(/phonenumber=\d+/, 'phonenumber=0912000777')}`)).status);
    statuses.add((await call('GET', `/esms/${TOKEN}/${route}?SMSID=&SendStatus=5`)).status);
    expect([...statuses].filter((status) => status >= 500)).toEqual([]);
    expect(statuses).toContain(400);
    expectClean(fn);
    expect(unusedGlobs(fn), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('inboundDrain: buffered eSMS callbacks (a single, a batch shard, a malformed one kept as rejected) and buffered Zalo events, stored as the live path would', async () => {
    const { invoke } = await asFunction('inboundDrain');
    const receivedAt = Date.now();
    const esms = (raw: string, work: Record<string, unknown> = { kind: 'store' }) => ({ v: 1, provider: 'esms', tenant: 'default', route: 'sms', raw, receivedAt, work });
    const bodies = [
      esms(esmsFixture('cskh-status-5').replace(/SMSID=([^&]+)/, 'SMSID=drained-$1')),
      esms(esmsFixture('cskh-batch-failed').replace(/SMSID=([^&]+)/, 'SMSID=drained-big').replace(/TotalReceiver=\d+/, 'TotalReceiver=1000')),
      esms('SMSID=&SendStatus=5', { kind: 'rejected', error: { status: 400, field: 'SMSID', message: 'SMSID is required' } }),
      ...zaloFixtures().filter((f) => !f.name.includes('bad-signature')).map((fixture) => {
        const { rawBody, headers } = fresh(fixture, receivedAt);
        return { v: 1, provider: 'zalo', tenant: 'default', raw: rawBody, headers, receivedAt, work: { kind: 'store' } };
      }),
    ];
    const Records = bodies.map((body, i) => ({
      messageId: `m${i}`, receiptHandle: `r${i}`, body: JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:ap-southeast-1:000000000000:inbound-buffer', awsRegion: 'ap-southeast-1',
    }));
    expect(((await invoke({ Records })) as { batchItemFailures: unknown[] }).batchItemFailures).toEqual([]);
    expectClean('inboundDrain');
  });

  it('projector: the stream records of every item of the table (and a poison record, dead-lettered), one message of a phone erased meanwhile', async () => {
    const { invoke } = await asFunction('projector');
    const doc = documentClient(testDynamoEndpoint());
    // An erasure of one recipient's phone that the index did not know of yet: the projector erases its message (T#…#M#).
    // A batch recipient's phone first: erasing its message re-keys callback items (Put + Delete), not only the head.
    const stored = await scanAll(doc, tables.Messages);
    // The recipient of a large batch's callback, so the erasure reaches a batch shard (T#…#MB#…) too.
    const inShard = stored.find((item) => item.kind === 'esms-cb' && String(item.pk).includes('#MB#') && item.ph === '0912000777');
    const recipient = normalisePhone(String(inShard?.ph))!;
    expect(recipient).toBeDefined();
    await doc.send(new PutCommand({ TableName: tables.Messages, Item: { ...erasureMarkKey('default', recipient), kind: 'esms-em', at: Date.now() + 60_000 } }));
    // A destination of the tenant, disabled: its events are derived and logged (T#…#EVT#…), none is queued.
    await doc.send(new PutCommand({ TableName: tables.Messages, Item: {
      ...destinationKey('default', 'dst_gategategategategate'), kind: 'destination', tenant: 'default', url: 'http://127.0.0.1:9/', enabled: false,
      disabledReason: 'patch', secret: 'sealed', createdAt: Date.now(), updatedAt: Date.now(),
    } }));
    const records = streamRecordsOf(await scanAll(doc, tables.Messages));
    records.push({ eventID: 'poison', eventName: 'INSERT', dynamodb: { NewImage: marshall({ pk: 'T#default#M#x', sk: 'C#x#1', kind: 'esms-cb' }) as never, SequenceNumber: String(1000 + records.length) } });
    expect(((await invoke({ Records: records })) as { batchItemFailures: unknown[] }).batchItemFailures).toEqual([]);
    expectClean('projector');
    expect(unusedGlobs('projector'), 'heads, batch shards, the phone index, the erasure marks, the erased message, the event log and the dead letter').toEqual([]);
  });

  it('aggregator: the stream records of every item of the table (and a poison record, dead-lettered)', async () => {
    const { invoke } = await asFunction('aggregator');
    const doc = documentClient(testDynamoEndpoint());
    const records = streamRecordsOf(await scanAll(doc, tables.Messages));
    records.push({ eventID: 'poison', eventName: 'INSERT', dynamodb: { NewImage: marshall({ pk: 'T#default#M#x', sk: '#', kind: 'esms' }) as never, SequenceNumber: String(1000 + records.length) } });
    const now = new Date().toISOString();
    await invoke({ Records: records, shardId: 'shard-gate', window: { start: now, end: now }, state: {}, isFinalInvokeForWindow: true });
    expectClean('aggregator');
    expect(unusedGlobs('aggregator'), 'counters, the shard watermark and the dead letter').toEqual([]);
  });

  it('apiEsmsMessage: every stored SMSID, with its callbacks page by page and its linked Zalo events', async () => {
    const { call } = await asFunction('apiEsmsMessage');
    for (const smsId of new Set(esmsFixtureNames().map((name) => smsIdOf(esmsFixture(name))))) {
      const first = await call('GET', `/api/esms/messages/${encodeURIComponent(smsId)}?limit=1`, { headers: bearer() });
      expect(first.status, smsId).toBe(200);
      if (typeof first.body.next === 'string') {
        expect((await call('GET', `/api/esms/messages/${encodeURIComponent(smsId)}?limit=1&next=${first.body.next}`, { headers: bearer() })).status).toBe(200);
      }
    }
    expectClean('apiEsmsMessage');
  });

  it('apiRejected: the day\'s rejected requests', async () => {
    const { call } = await asFunction('apiRejected');
    const answer = await call('GET', `/api/rejected?day=${today()}`, { headers: bearer() });
    expect(answer.status).toBe(200);
    expect((answer.body.rejected as unknown[]).length).toBeGreaterThan(0);
    expectClean('apiRejected');
  });

  it('zaloWebhook: every Zalo fixture (events, copies, followers, OA state, consent, Journeys) and a malformed body (kept as rejected)', async () => {
    const { call } = await asFunction('zaloWebhook');
    const statuses = new Set<number>();
    for (const fixture of zaloFixtures().filter((f) => !f.name.includes('bad-signature'))) {
      const { rawBody, headers } = fresh(fixture, Date.now());
      statuses.add((await call('POST', '/zalo/webhook', { headers, body: rawBody })).status);
    }
    const broken = signed(`{"app_id":"${ZALO_FIXTURE_APP_ID}","event_name":"follow","timestamp":"${Date.now()}","oa_id":1397492183140006179,"follower":{}}`);
    statuses.add((await call('POST', '/zalo/webhook', { headers: broken.headers, body: broken.rawBody })).status);
    // A revocation marks the OA's tokens (OAUTH), the webhook's only write outside Zalo events.
    const revoked = signed(JSON.stringify({ app_id: ZALO_FIXTURE_APP_ID, oa_id: '9990000000000000001', event_name: 'permission_revoked', timestamp: String(Date.now()) }));
    statuses.add((await call('POST', '/zalo/webhook', { headers: revoked.headers, body: revoked.rawBody })).status);
    expect([...statuses].filter((status) => status >= 500)).toEqual([]);
    expectClean('zaloWebhook');
    expect(unusedGlobs('zaloWebhook'), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('the Zalo read API: a msg_id (events and linked SMSIDs), followers, a conversation, OA state with consent, a Journey', async () => {
    const read = [
      ['apiZaloMessage', '/api/zalo/messages/96d3cdf3af1504609090'],
      ['apiZaloMessage', '/api/zalo/messages/15a0cc0bbb13bd4ce403'],
      ['apiOaFollowers', `/api/oa/${OA}/followers?limit=1`],
      ['apiOaUserMessages', `/api/oa/${OA}/users/${USER}/messages?limit=2`],
      ['apiOaState', `/api/oa/${OA}/state?phone=84901234567`],
      ['apiZaloJourney', '/api/zalo/journeys/1260521718358967296'],
    ] as const;
    const calls = new Map<string, Awaited<ReturnType<typeof asFunction>>['call']>();
    for (const [fn, url] of read) {
      if (!calls.has(fn)) calls.set(fn, (await asFunction(fn)).call);
      expect((await calls.get(fn)!('GET', url, { headers: bearer() })).status, url).toBe(200);
    }
    for (const fn of new Set(read.map(([name]) => name))) expectClean(fn);
  });

  it('apiReplay: a day of rejected requests replayed, again by force, and by id, among them requests today\'s parsers accept (every Zalo fixture, an eSMS batch, an SMS to a phone)', async () => {
    const { call } = await asFunction('apiReplay');
    // As if an older parser had refused them: replaying them stores events, state and callbacks.
    const rejected = buildRejectedStore(documentClient(testDynamoEndpoint()), tables.Messages, 7);
    const at = Date.now();
    for (const fixture of zaloFixtures()) {
      const { rawBody, headers } = fresh(fixture, at - 1000);
      await rejected.add({ source: 'zalo', route: 'webhook', status: 400, field: 'body', reason: 'older parser', raw: rawBody.replace(/"msg_id": ?"/g, '"msg_id":"r'), headers, receivedAt: at });
    }
    await rejected.add({ source: 'esms', route: 'sms', status: 400, field: 'SMSID', reason: 'older parser', raw: esmsFixture('promo-batch').replace(/SMSID=([^&]+)/, 'SMSID=r$1'), receivedAt: at });
    await rejected.add({
      source: 'esms', route: 'sms', status: 400, field: 'SMSID', reason: 'older parser', receivedAt: at,
      raw: esmsFixture('cskh-batch-failed').replace(/SMSID=([^&]+)/, 'SMSID=rbig').replace(/TotalReceiver=\d+/, 'TotalReceiver=1000'),
    });
    await rejected.add({ source: 'esms', route: 'sms', status: 400, field: 'SMSID', reason: 'older parser', raw: esmsFixture('cskh-status-5').replace(/SMSID=([^&]+)/, 'SMSID=r$1'), receivedAt: at });
    const ids = (await scanAll(documentClient(testDynamoEndpoint()), tables.Messages)).filter((item) => item.kind === 'rejected').map((item) => String(item.sk));
    expect(ids.length).toBeGreaterThan(0);
    for (const body of [{ day: today() }, { day: today(), force: true }, { ids, force: true }]) {
      expect((await call('POST', '/api/replay', { headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(200);
    }
    expectClean('apiReplay');
    expect(unusedGlobs('apiReplay'), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('apiReportsDaily: the day\'s counters', async () => {
    const { call } = await asFunction('apiReportsDaily');
    expect((await call('GET', `/api/reports/daily?day=${today()}`, { headers: bearer() })).status).toBe(200);
    expectClean('apiReportsDaily');
  });

  it('lateSweep and apiAdminLateSweep: 73 hours later, the messages without a final status expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 73 * 3_600_000 });
    try {
      // Loaded under the fake clock: the wiring hands the domain `Date.now` itself, as it finds it at import.
      const sweep = await asFunction('lateSweep');
      const admin = await asFunction('apiAdminLateSweep');
      const result = (await sweep.invoke({})) as Record<string, { expired: number }>;
      expect(result.default!.expired).toBeGreaterThan(0);
      expect((await admin.call('POST', '/api/admin/late-sweep', { headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    expectClean('lateSweep');
    expectClean('apiAdminLateSweep');
  });

  it('reconcile and apiAdminReconcile: a message whose final callback was lost is completed, one never called back is discovered', async () => {
    const sentTimeMs = Date.now() - 30 * 60_000;
    const lost = fakeEsms.addMessage({ smsId: `gate-lost-${randomUUID().slice(0, 8)}`, typeId: 2, phones: ['0901000001'], sendStatus: 5, totalReceiver: 1, totalSent: 1, sendSuccess: 1, sendFailed: 0, totalPrice: '850.0000', sentTimeMs, telcoId: 1 });
    fakeEsms.addMessage({ smsId: `gate-silent-${randomUUID().slice(0, 8)}`, typeId: 2, phones: ['0901000002'], sendStatus: 5, totalReceiver: 1, totalSent: 1, sendSuccess: 1, sendFailed: 0, totalPrice: '850.0000', sentTimeMs, telcoId: 1 });
    const callback = await asFunction('esmsSms');
    expect((await callback.call('GET', `/esms/${TOKEN}/sms?SMSID=${lost.smsId}&SendFailed=0&SendStatus=7&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0901000001`)).status).toBe(200);
    const scheduled = await asFunction('reconcile');
    const admin = await asFunction('apiAdminReconcile');
    // An hour later, so the heads stored just now are old enough to be checked (reconciliation skips the last 10 minutes).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    try {
      const result = (await scheduled.invoke({}, 900_000)) as Record<string, { checked: number; updated: number; discovered: number }>;
      expect(result.default!.checked).toBeGreaterThan(0);
      expect(result.default!.updated + result.default!.discovered).toBeGreaterThan(0);
      expect((await admin.call('POST', '/api/admin/reconcile', { headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    expectClean('reconcile');
    expectClean('apiAdminReconcile');
  });

  it('apiZaloOaConnectLinks, zaloOaConnect, zaloOaCallback, zaloTokenRefresh, the followers backfill: issue a link, connect an OA, store its sealed tokens, refresh them when due, import its followers', async () => {
    fakeZalo.expiresIn = '60'; // due at once: the refresher renews what expires within hours
    fakeZalo.setFollowers(OA, [USER, '5308693166941955880']);
    const links = await asFunction('apiZaloOaConnectLinks');
    const issued = await links.call('POST', '/api/zalo/oa-connect-links', { headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ appId: ZALO_FIXTURE_APP_ID }) });
    expect(issued.status).toBe(201);
    expectClean('apiZaloOaConnectLinks');
    const link = new URL(String(issued.body.url));
    const connect = await asFunction('zaloOaConnect');
    const start = await connect.call('GET', `${link.pathname}${link.search}`);
    expect(start.status).toBe(302);
    const consent = new URL(start.location!);
    const code = fakeZalo.consent(OA, consent.searchParams.get('code_challenge') ?? undefined);
    const callback = await asFunction('zaloOaCallback');
    const done = await callback.call('GET', `/zalo/oa-callback?oa_id=${OA}&code=${encodeURIComponent(code)}&state=${encodeURIComponent(consent.searchParams.get('state')!)}`, { headers: { cookie: start.cookie! } });
    expect(done.status).toBeLessThan(400);
    const backfill = await asFunction('zaloFollowersBackfill');
    expect(await backfill.invoke({}, 300_000)).toMatchObject({ jobs: [{ oaId: OA, merged: 2, done: true }] });
    const backfillAdmin = await asFunction('apiAdminZaloFollowersBackfill');
    const again = await backfillAdmin.call('POST', '/api/admin/zalo/followers-backfill', { headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' }, body: JSON.stringify({ oaId: OA, restart: true }) });
    expect(again).toMatchObject({ status: 200, body: { backfill: { done: true } } });
    expectClean('zaloFollowersBackfill');
    expectClean('apiAdminZaloFollowersBackfill');
    const refresh = await asFunction('zaloTokenRefresh');
    await refresh.invoke({}, 900_000);
    expect(fakeZalo.requests.some((r) => r.grantType === 'refresh_token')).toBe(true);
    expectClean('zaloOaConnect');
    expectClean('zaloOaCallback');
    expectClean('zaloTokenRefresh');
    // The OA is connected now: its state shows it (the token item under OAUTH).
    const state = await asFunction('apiOaState');
    expect((await state.call('GET', `/api/oa/${OA}/state`, { headers: bearer() })).status).toBe(200);
    expectClean('apiOaState');
  });

  it('siteVerification reads only the registry\'s SITE partition', async () => {
    const { call } = await asFunction('siteVerification');
    expect((await call('GET', '/')).status).toBe(200);
    expectClean('siteVerification');
    expect(unusedGlobs('siteVerification'), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('console and apiOnboarding: the console\'s page touches no table; the checklist facts read OAUTH, the registry\'s SITE and the app asked about', async () => {
    await buildConsole();
    expect((await (await asFunction('console')).call('GET', '/console')).status).toBe(200);
    expectClean('console', 'none');
    const { call } = await asFunction('apiOnboarding');
    const answer = await call('GET', '/api/onboarding?app=9400000000000000001', { headers: bearer() });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).not.toContain('9400000000000000001'); // the registry scenario's app is another tenant's
    expectClean('apiOnboarding');
    // APIKEY#: only a registry key's lookup (the registry scenario's keys are revoked by now).
    expect(unusedGlobs('apiOnboarding').filter((glob) => glob !== 'Registry APIKEY#*'), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('apiEsmsSearch: by phone, by RequestId, by day with a filter, page by page', async () => {
    const { call } = await asFunction('apiEsmsSearch');
    for (const query of ['phone=%2B84%20901%20888%20484', 'requestId=order-1', `day=${today()}&limit=1`, `day=${today()}&channel=25&status=5`]) {
      const answer = await call('GET', `/api/esms/messages?${query}`, { headers: bearer() });
      expect(answer.status, query).toBe(200);
      if (typeof answer.body.next === 'string') expect((await call('GET', `/api/esms/messages?${query}&next=${answer.body.next}`, { headers: bearer() })).status).toBe(200);
    }
    expectClean('apiEsmsSearch');
    expect(unusedGlobs('apiEsmsSearch').filter((glob) => glob.startsWith('Messages')), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('apiRecipientErase: phones of the fixtures erased from messages, index and rejected requests, and from Zalo consent events, items and pointers', async () => {
    const { call } = await asFunction('apiRecipientErase');
    const answer = await call('DELETE', '/api/recipients/0901888484', { headers: bearer() });
    expect([answer.status, (answer.body.changed as number) > 0]).toEqual([200, true]);
    // The consent fixtures' phone (stored by the zaloWebhook scenario above).
    const consent = await call('DELETE', '/api/recipients/84901234567', { headers: bearer() });
    expect([consent.status, (consent.body.changed as number) > 0]).toEqual([200, true]);
    expectClean('apiRecipientErase');
    expect(unusedGlobs('apiRecipientErase').filter((glob) => glob.startsWith('Messages')), 'every key glob of the manifest is needed').toEqual([]);
  });

  it('the suppressions routes: the list (JSON and CSV, page by page), one, a hand-made clear (the projector scenario suppressed the unfollow fixture\'s user)', async () => {
    const list = await asFunction('apiSuppressionsList');
    const first = await list.call('GET', '/api/suppressions?limit=1', { headers: bearer() });
    expect(first.status).toBe(200);
    if (typeof first.body.next === 'string') expect((await list.call('GET', `/api/suppressions?limit=1&next=${first.body.next}`, { headers: bearer() })).status).toBe(200);
    expect((await list.call('GET', '/api/suppressions?format=csv', { headers: bearer() })).status).toBe(200);
    expect((await (await asFunction('apiSuppressionsGet')).call('GET', `/api/suppressions/${USER}`, { headers: bearer() })).body).toMatchObject({ suppression: { phone: USER, event: 'unfollow' } });
    expect((await (await asFunction('apiSuppressionsClear')).call('DELETE', `/api/suppressions/${USER}`, { headers: bearer() })).body).toEqual({ ok: true, cleared: true });
    for (const fn of ['apiSuppressionsList', 'apiSuppressionsGet', 'apiSuppressionsClear']) {
      expectClean(fn);
      expect(unusedGlobs(fn).filter((glob) => glob.startsWith('Messages')), `${fn}: every key glob of the manifest is needed`).toEqual([]);
    }
  });

  it('apiUsage: a tenant\'s month (one BatchGetItem of its day counters) and, with the admin key, every tenant\'s', async () => {
    const { call } = await asFunction('apiUsage');
    expect((await call('GET', `/api/usage?month=${today().slice(0, 7)}`, { headers: bearer() })).body).toMatchObject({ usage: { callbacks: expect.any(Number) } });
    expect((await call('GET', '/api/usage', { headers: bearer(ADMIN_KEY) })).body).toMatchObject({ tenants: expect.arrayContaining([expect.objectContaining({ tenant: 'default' })]) });
    expectClean('apiUsage');
    expect(unusedGlobs('apiUsage').filter((glob) => !glob.endsWith('APIKEY#*')), 'the day counters and the tenants list').toEqual([]);
  });

  it('the destinations routes: create, list, get, patch, rotate, test, attempts, replay, delete (test and replay queue on the SQS emulation), and the delivery function on the test event', async () => {
    const sqs = await startFakeSqs();
    const client = new SQSClient({ endpoint: sqs.url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    process.env.SQS_ENDPOINT = sqs.url;
    process.env.DESTINATION_QUEUE_URL = (await client.send(new CreateQueueCommand({ QueueName: 'DestinationDeliveries' }))).QueueUrl!;
    process.env.DESTINATION_ALLOW_LOCAL = 'true';
    try {
      const asTenant = (body?: unknown) => ({ headers: { ...bearer(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const call = async (fn: string, method: string, url: string, body?: unknown) => (await asFunction(fn)).call(method, url, asTenant(body));
      const created = await call('apiDestinationsCreate', 'POST', '/api/destinations', { url: 'http://127.0.0.1:9/' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await call('apiDestinationsList', 'GET', '/api/destinations')).status).toBe(200);
      expect((await call('apiDestinationsGet', 'GET', `/api/destinations/${id}`)).status).toBe(200);
      expect((await call('apiDestinationsPatch', 'PATCH', `/api/destinations/${id}`, { description: 'gate' })).status).toBe(200);
      expect((await call('apiDestinationsRotateSecret', 'POST', `/api/destinations/${id}/rotate-secret`)).status).toBe(200);
      expect((await call('apiDestinationsTest', 'POST', `/api/destinations/${id}/test`)).status).toBe(202);
      expect((await call('apiDestinationsAttempts', 'GET', `/api/destinations/${id}/attempts`)).status).toBe(200);
      const to = new Date().toISOString();
      expect((await call('apiDestinationsReplay', 'POST', `/api/destinations/${id}/replay`, { from: new Date(Date.now() - 86_400_000).toISOString(), to })).status).toBe(202);
      // The test event, and the replay's: the events the projector derived from the scenarios above.
      const queued = sqs.depth('DestinationDeliveries').visible;
      expect(queued).toBeGreaterThan(1);
      // The delivery function takes the test event: nothing listens on port 9, so the attempt fails, is recorded and queued
      // again; the destination has failed for 6 days, so it is disabled and an alert.destination_disabled logged.
      await documentClient(testDynamoEndpoint()).send(new UpdateCommand({
        TableName: tables.Messages, Key: destinationKey('default', id), UpdateExpression: 'SET failingSince = :since', ExpressionAttributeValues: { ':since': Date.now() - 6 * 86_400_000 },
      }));
      const received = [];
      for (let round = 0; round < 20 && received.length < queued; round += 1) {
        received.push(...((await client.send(new ReceiveMessageCommand({ QueueUrl: process.env.DESTINATION_QUEUE_URL, MaxNumberOfMessages: 10 }))).Messages ?? []));
      }
      const Records = received.filter((message) => String(message.Body).includes('"destination.test"')).map((message) => ({
        messageId: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body, attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:ap-southeast-1:000000000000:destination-deliveries', awsRegion: 'ap-southeast-1',
      }));
      expect(Records).toHaveLength(1);
      expect(((await (await asFunction('destinationDelivery')).invoke({ Records })) as { batchItemFailures: unknown[] }).batchItemFailures).toEqual([]);
      expect(sqs.depth('DestinationDeliveries').delayed).toBe(1);
      const attempts = await call('apiDestinationsAttempts', 'GET', `/api/destinations/${id}/attempts`);
      expect((attempts.body.attempts as Array<{ ok: boolean }>).map((attempt) => attempt.ok)).toEqual([false]);
      expect((await call('apiDestinationsGet', 'GET', `/api/destinations/${id}`)).body).toMatchObject({ destination: { enabled: false } });
      expectClean('destinationDelivery');
      expect(unusedGlobs('destinationDelivery'), 'destinationDelivery: every key glob of the manifest is needed').toEqual([]);
      expect((await call('apiDestinationsDelete', 'DELETE', `/api/destinations/${id}`)).status).toBe(200);
      for (const fn of ['apiDestinationsCreate', 'apiDestinationsList', 'apiDestinationsGet', 'apiDestinationsPatch', 'apiDestinationsRotateSecret', 'apiDestinationsTest', 'apiDestinationsAttempts', 'apiDestinationsReplay', 'apiDestinationsDelete']) {
        expectClean(fn);
        expect(unusedGlobs(fn).filter((glob) => glob.startsWith('Messages')), `${fn}: every key glob of the manifest is needed`).toEqual([]);
      }
    } finally {
      client.destroy();
      await sqs.close();
      delete process.env.DESTINATION_QUEUE_URL;
    }
  });

  it('every function of the manifests ran here', () => {
    expect([...gates.keys()].sort()).toEqual(Object.keys(manifests).sort());
  });
});
