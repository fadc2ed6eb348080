/**
 * The local stack serves exactly what serverless.yml deploys: same routes, same handler modules, and each
 * eSMS function bound to its own route.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { httpRoutes, PROJECT_ROOT } from '../../infra/local/routes';
import { esmsLine } from '../support/fixtures';
import { esmsUrl, getJson, useStack } from '../support/stack';

const stack = useStack({ aggregator: false }); // only the HTTP routes are under test

type HttpApiEvent = string | { method: string; path: string };
interface FunctionDefinition { handler: string; events?: Array<Record<string, unknown>> }

const serverlessFunctions = (): Record<string, FunctionDefinition> =>
  (parse(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as { functions: Record<string, FunctionDefinition> }).functions;

/** serverless.yml's httpApi events, read independently of infra/local/routes.ts (both osls forms: object and 'GET /path'). */
const declaredRoutes = () =>
  Object.entries(serverlessFunctions()).flatMap(([functionName, fn]) =>
    (fn.events ?? []).flatMap((event) => {
      if (!('httpApi' in event)) return [];
      const httpApi = event.httpApi as HttpApiEvent;
      const [method, path] = typeof httpApi === 'string' ? httpApi.split(' ') : [httpApi.method, httpApi.path];
      const dot = fn.handler.lastIndexOf('.');
      return [{ functionName, method: method!.toUpperCase(), path: path!, module: `${fn.handler.slice(0, dot)}.ts`, exportName: fn.handler.slice(dot + 1) }];
    }));

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('local routes versus serverless.yml', () => {
  it('httpRoutes() is exactly the httpApi events of serverless.yml (function, method, path, module, export)', () => {
    const byKey = (a: { method: string; path: string }, b: { method: string; path: string }) => key(a).localeCompare(key(b));
    expect([...httpRoutes()].sort(byKey)).toEqual(declaredRoutes().sort(byKey));
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

  it.each(Object.entries(serverlessFunctions()).map(([name, fn]) => [name, fn.handler]))(
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
  it.each([['sms', 1], ['viber', 4], ['zns', 3], ['zalo', 6], ['journey', 27]] as const)(
    '/esms/{token}/%s runs its own handler: fixture line %i (a TypeId of that route) is stored without a route flag',
    async (route, line) => {
      expect(await getJson(esmsUrl(stack(), route, esmsLine(line)))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    },
  );

  it.each(['sms', 'viber', 'zns', 'zalo', 'journey'])('/esms/{token}/%s with a wrong token reaches the handler (JSON 404 naming token)', async (route) => {
    expect(await getJson(esmsUrl(stack(), route, esmsLine(1), 'not-a-token'))).toEqual({
      status: 404, body: { ok: false, error: { field: 'token', message: expect.any(String) } },
    });
  });

  it('a path or method serverless.yml does not declare gets API Gateway\'s own 404', async () => {
    const notFound = { status: 404, body: { message: 'Not Found' } };
    expect(await getJson(`${stack().url}/esms/test-token/email?SMSID=x`)).toEqual(notFound);
    expect(await getJson(`${stack().url}/esms/test-token/sms/extra`)).toEqual(notFound);
    const post = await fetch(esmsUrl(stack(), 'sms', esmsLine(1)), { method: 'POST' });
    expect([post.status, await post.json()]).toEqual([404, { message: 'Not Found' }]);
  });
});
