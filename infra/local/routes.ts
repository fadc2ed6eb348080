/**
 * The HTTP routes, stream consumers and queue consumers of the deployed functions, read from the function manifests
 * (functions/<file>.json) through the very module that builds serverless.yml's `functions:` map, so
 * the local stack cannot drift from what is deployed.
 */
import { join } from 'node:path';
import { manifestModule as manifests } from '../manifests/manifests';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface HttpRoute {
  functionName: string;
  method: string;
  path: string;
  /** e.g. `functions/esms-sms.ts` */
  module: string;
  exportName: string;
}

export interface StreamConsumer {
  functionName: string;
  module: string;
  exportName: string;
  batchSize: number;
  maximumBatchingWindow: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  tumblingWindowInSeconds: number;
  filterPatterns: unknown[];
}

export interface QueueConsumer {
  functionName: string;
  module: string;
  exportName: string;
  /** A queue of infra/queues.json. */
  queue: string;
  batchSize: number;
  maximumBatchingWindow: number;
  maximumConcurrency: number;
}

export interface FunctionDefinition {
  handler: string;
  events?: Array<{ httpApi?: { method: string; path: string }; stream?: Record<string, unknown>; schedule?: string; sqs?: Record<string, unknown> }>;
}

const splitHandler = (handler: string) => {
  const dot = handler.lastIndexOf('.');
  return { module: `${handler.slice(0, dot)}.ts`, exportName: handler.slice(dot + 1) };
};

/**
 * serverless.yml's `functions:` map as osls receives it from infra/manifests/index.js (osls variables such as
 * `${param:…}` in an environment are left unresolved: they do not matter to routes).
 */
export const readServerlessFunctions = (dir = manifests.MANIFEST_DIR): Record<string, FunctionDefinition> =>
  manifests.functionEntries(manifests.loadManifests(dir));

export const httpRoutes = (functions = readServerlessFunctions()): HttpRoute[] =>
  Object.entries(functions).flatMap(([functionName, fn]) =>
    (fn.events ?? []).flatMap((event) =>
      event.httpApi ? [{ functionName, method: event.httpApi.method.toUpperCase(), path: event.httpApi.path, ...splitHandler(fn.handler) }] : [],
    ),
  );

export const streamConsumers = (functions = readServerlessFunctions()): StreamConsumer[] =>
  Object.entries(functions).flatMap(([functionName, fn]) =>
    (fn.events ?? []).flatMap((event) => {
      const stream = event.stream;
      if (!stream) return [];
      return [{
        functionName,
        ...splitHandler(fn.handler),
        batchSize: Number(stream.batchSize ?? 100),
        maximumBatchingWindow: Number(stream.batchWindow ?? 0),
        maximumRetryAttempts: Number(stream.maximumRetryAttempts ?? 3),
        bisectBatchOnFunctionError: Boolean(stream.bisectBatchOnFunctionError ?? false),
        tumblingWindowInSeconds: Number(stream.tumblingWindowInSeconds ?? 0),
        filterPatterns: (stream.filterPatterns as unknown[] | undefined) ?? [],
      }];
    }),
  );

/** Matches `/esms/abc/sms` against `/esms/{token}/sms`; returns the path parameters or undefined. */
export const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i]!;
    const value = got[i]!;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) return undefined;
  }
  return params;
};

/** The functions an SQS queue triggers (their manifests' `trigger.sqs`), as Lambda's event source mappings run them. */
export const queueConsumers = (dir = manifests.MANIFEST_DIR): QueueConsumer[] =>
  Object.entries(manifests.loadManifests(dir)).flatMap(([functionName, m]) => {
    if (!('sqs' in m.trigger)) return [];
    const { queue, batchSize, batchWindow, maximumConcurrency } = m.trigger.sqs;
    return [{
      functionName, ...splitHandler(m.handler), queue, batchSize: batchSize ?? 10, maximumBatchingWindow: batchWindow ?? 0,
      maximumConcurrency: maximumConcurrency ?? 1,
    }];
  });
