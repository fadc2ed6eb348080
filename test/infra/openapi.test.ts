/**
 * docs/openapi.json is generated (npm run openapi) from serverless.yml's routes and the valibot schemas
 * the handlers parse with: it is up to date, OpenAPI 3.1, lists exactly the deployed routes, every
 * reference resolves, every operation states its security, each keyed route's answers are its schemas of
 * lib/api/answers.ts, and the error body it documents is the one the code answers. (The redocly lint is
 * openapi-lint.package.test.ts; real answers are checked in openapi-answers.stack.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { buildOpenApi, OPERATIONS } from '../../infra/tools/openapi-document';
import { ANSWERS } from '../../lib/api/answers';
import { RequestError, StorageUnavailableError } from '../../lib/errors';
import { ErrorBodySchema } from '../../lib/http/bodies';
import { errorResponse } from '../../lib/http/response';
import type { Json } from './json';

const committed = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8')) as Json;

/** The httpApi routes of the function manifests (functions/*.json, which serverless.yml loads), read independently of infra/local/routes.ts. */
const declared = (): string[] => {
  const folder = join(PROJECT_ROOT, 'functions');
  return readdirSync(folder).filter((file) => file.endsWith('.json')).flatMap((file) => {
    const { trigger } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { trigger: { httpApi?: { method: string; path: string } } };
    return trigger.httpApi ? [`${trigger.httpApi.method.toUpperCase()} ${trigger.httpApi.path}`] : [];
  });
};

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` generates today (regenerated and compared)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('is OpenAPI 3.1.0 and lists exactly the routes (method + path) of serverless.yml, each with a real description', () => {
    expect(committed.openapi).toBe('3.1.0');
    const documented = Object.entries(committed.paths as Record<string, Json>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(declared().sort());
    for (const [path, operations] of Object.entries(committed.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses.default, `${method} ${path} is described in infra/tools/openapi-document.ts`).toBeUndefined();
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        expect((operation.parameters as Json[]).filter((p) => p.in === 'path').map((p) => p.name), `${method} ${path}`).toEqual(templated);
      }
    }
  });

  it('every $ref resolves to a component schema, and the eSMS query and Zalo body come from the parsers\' schemas', () => {
    const refs = [...JSON.stringify(committed).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((name) => !(name in committed.components.schemas))).toEqual([]);
    const query = committed.components.schemas.EsmsCallbackQuery;
    expect(query.required).toEqual(expect.arrayContaining(['SMSID', 'SendStatus', 'TypeId', 'TotalPrice']));
    expect(query.properties.SendStatus.enum).toEqual(['1', '2', '4', '5', '7']);
    expect(committed.components.schemas.ZaloEvent.oneOf.length).toBeGreaterThan(20);
  });

  it('every operation states its security: bearer keys on read and admin routes, explicitly none on the providers\' and browsers\' routes', () => {
    for (const [path, operations] of Object.entries(committed.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const entry = OPERATIONS[`${method.toUpperCase()} ${path}`];
        const expected = entry === undefined ? [] : entry.auth === 'admin' ? [{ adminKey: [] }] : [{ tenantKey: [] }, { adminKey: [] }];
        expect(operation.security, `${method} ${path}`).toEqual(expected);
        if (entry === undefined) continue;
        // A read route takes the admin key's tenant=; every keyed route answers 401, 403, 500 and 503 with the error body.
        expect((operation.parameters as Json[]).some((parameter) => parameter.name === 'tenant'), `${method} ${path}`).toBe(entry.auth === 'read');
        for (const status of ['400', '401', '403', '500', '503', ...(entry.body ? ['413'] : [])]) {
          expect(operation.responses[status]?.content['application/json'].schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/ErrorBody' });
        }
      }
    }
    expect(Object.keys(committed.components.securitySchemes).sort()).toEqual(['adminKey', 'tenantKey']);
  });

  it('each success status of a keyed route is its answer schema of lib/api/answers.ts, and every answer schema is some route\'s', () => {
    const used = new Set<string>();
    for (const [path, operations] of Object.entries(committed.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const entry = OPERATIONS[`${method.toUpperCase()} ${path}`];
        if (!entry) continue;
        const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
        expect(successes, `${method} ${path}`).toEqual(Object.keys(entry.ok));
        for (const [status, name] of Object.entries(entry.ok)) {
          used.add(name);
          expect(operation.responses[status].content['application/json'].schema, `${method} ${path} ${status}`).toEqual({ $ref: `#/components/schemas/${name}Answer` });
          expect(committed.components.schemas[`${name}Answer`].properties.ok, name).toEqual({ const: true });
          if (entry.csv) expect(Object.keys(operation.responses[status].content), `${method} ${path}`).toEqual(['application/json', 'text/csv']);
        }
      }
    }
    expect([...used].sort()).toEqual(Object.keys(ANSWERS).sort());
  });

  it('the documented error body is what the code answers for 4xx, 503 and 500', () => {
    for (const error of [new RequestError(400, 'SendStatus', 'unknown'), new StorageUnavailableError(new Error('x')), new Error('boom')]) {
      expect(v.is(ErrorBodySchema, JSON.parse(errorResponse(error).body as string))).toBe(true);
    }
  });
});
