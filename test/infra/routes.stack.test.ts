/**
 * The local stack serves exactly what serverless.yml deploys (its functions come from the manifests,
 * functions/<file>.json): same routes, same handler modules, and each eSMS function bound to its own
 * route. test/infra/package.test.ts ties the same routes to the packaged template.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { httpRoutes, PROJECT_ROOT, streamConsumers } from '../../infra/local/routes';
import { esmsFixture } from '../support/fixtures';
import { esmsUrl, getJson, useStack } from '../support/stack';

const stack = useStack({ aggregator: false }); // only the HTTP routes are under test

interface RawManifest { handler: string; trigger: { httpApi?: { method: string; path: string }; stream?: Record<string, unknown> } }

/** The manifests' files, read independently of infra/manifests/index.js and infra/local/routes.ts (name: camelCase of the file). */
const manifestFunctions = (): Record<string, RawManifest> => {
  const dir = join(PROJECT_ROOT, 'functions');
  return Object.fromEntries(readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => [
    file.replace(/\.json$/, '').replace(/-([a-z0-9])/g, (_all, c: string) => c.toUpperCase()),
    JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawManifest,
  ]));
};

/** The manifests' httpApi triggers. */
const declaredRoutes = () =>
  Object.entries(manifestFunctions()).flatMap(([functionName, fn]) => {
    const httpApi = fn.trigger.httpApi;
    if (!httpApi) return [];
    const dot = fn.handler.lastIndexOf('.');
    return [{ functionName, method: httpApi.method.toUpperCase(), path: httpApi.path, module: `${fn.handler.slice(0, dot)}.ts`, exportName: fn.handler.slice(dot + 1) }];
  });

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('local routes versus the function manifests', () => {
  it('httpRoutes() is exactly the httpApi triggers of the manifests (function, method, path, module, export)', () => {
    const byKey = (a: { method: string; path: string }, b: { method: string; path: string }) => key(a).localeCompare(key(b));
    expect([...httpRoutes()].sort(byKey)).toEqual(declaredRoutes().sort(byKey));
  });

  it('streamConsumers() is the stream trigger of each manifest, with its batching, retry, bisect, tumbling-window and filter settings', () => {
    const declared = Object.entries(manifestFunctions()).flatMap(([functionName, fn]) => {
      const stream = fn.trigger.stream;
      if (!stream) return [];
      const dot = fn.handler.lastIndexOf('.');
      return [{
        functionName, module: `${fn.handler.slice(0, dot)}.ts`, exportName: fn.handler.slice(dot + 1),
        batchSize: stream.batchSize, maximumBatchingWindow: stream.batchWindow, maximumRetryAttempts: stream.maximumRetryAttempts,
        bisectBatchOnFunctionError: stream.bisectBatchOnFunctionError, tumblingWindowInSeconds: stream.tumblingWindowInSeconds ?? 0,
        filterPatterns: stream.filterPatterns ?? [],
      }];
    });
    expect(streamConsumers()).toEqual(declared);
    expect(streamConsumers().map((consumer) => consumer.functionName)).toEqual(['aggregator', 'projector']);
  });

  it('no two routes share a method and path', () => {
    const keys = httpRoutes().map(key);
    expect(keys).toHaveLength(new Set(keys).size);
  });

  it('every eSMS callback route and eSMS read route of the contract is declared, each by its own function', () => {
    const routes = httpRoutes();
    const contract = [
      ...['sms', 'viber', 'zns', 'zalo', 'journey'].map((route) => `GET /esms/{token}/${route}`),
      'GET /api/esms/messages/{smsid}',
      'GET /api/rejected',
    ];
    expect(routes.map(key)).toEqual(expect.arrayContaining(contract));
    const functions = contract.map((wanted) => routes.find((route) => key(route) === wanted)!.functionName);
    expect(new Set(functions).size).toBe(contract.length);
  });

  it.each(Object.entries(manifestFunctions()).map(([name, fn]) => [name, fn.handler]))(
    'function %s: handler %s is a module in the repo that exports that function',
    async (_name, handler) => {
      stack(); // settings are read at import: the stack's beforeAll has set the environment
      const dot = handler.lastIndexOf('.');
      const file = join(PROJECT_ROOT, `${handler.slice(0, dot)}.ts`);
      expect(existsSync(file), file).toBe(true);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      expect(typeof mod[handler.slice(dot + 1)]).toBe('function');
    },
  );
});

describe('the local front door dispatches each route to its own handler', () => {
  // One fixture per route whose TypeId belongs to it: a handler bound to another route would flag it.
  it.each([['sms', 'cskh-batch-failed'], ['viber', 'viber'], ['zns', 'zns-114-json-string'], ['zalo', 'zalo-transaction'], ['journey', 'journey-149']] as const)(
    '/esms/{token}/%s runs its own handler: fixture %s (a TypeId of that route) is stored without a route flag',
    async (route, line) => {
      expect(await getJson(esmsUrl(stack(), route, esmsFixture(line)))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    },
  );

  it.each(['sms', 'viber', 'zns', 'zalo', 'journey'])('/esms/{token}/%s with a wrong token reaches the handler (JSON 404 naming token)', async (route) => {
    expect(await getJson(esmsUrl(stack(), route, esmsFixture('cskh-batch-failed'), 'not-a-token'))).toEqual({
      status: 404, body: { ok: false, error: { field: 'token', message: expect.any(String) } },
    });
  });

  it('a path or method no manifest declares gets API Gateway\'s own 404', async () => {
    const notFound = { status: 404, body: { message: 'Not Found' } };
    expect(await getJson(`${stack().url}/esms/test-token/email?SMSID=x`)).toEqual(notFound);
    expect(await getJson(`${stack().url}/esms/test-token/sms/extra`)).toEqual(notFound);
    const post = await fetch(esmsUrl(stack(), 'sms', esmsFixture('cskh-batch-failed')), { method: 'POST' });
    expect([post.status, await post.json()]).toEqual([404, { message: 'Not Found' }]);
  });
});
