/**
 * docs/openapi.json is generated (npm run openapi) from serverless.yml's routes and the valibot schemas
 * the handlers parse with: it is up to date, OpenAPI 3.1, lists exactly the deployed routes, every
 * reference resolves, and the error body it documents is the one the code answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { buildOpenApi } from '../../infra/tools/openapi-document';
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

  it('the documented error body is what the code answers for 4xx, 503 and 500', () => {
    for (const error of [new RequestError(400, 'SendStatus', 'unknown'), new StorageUnavailableError(new Error('x')), new Error('boom')]) {
      expect(v.is(ErrorBodySchema, JSON.parse(errorResponse(error).body as string))).toBe(true);
    }
  });
});
