/**
 * Starts the real local stack (HTTP front door over serverless.yml + DynamoDB Local) for one test file.
 * Handlers read their settings on first import, so `env` must be final before the first request.
 */
import '../../infra/local/quiet';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type LocalStack, type StackOptions } from '../../infra/local/stack';
import { localClient } from '../../infra/local/dynamodb';
import { dropTables } from '../../infra/local/tables';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { testDynamoEndpoint } from './dynamo-endpoint';

export const TOKEN = 'test-token';
export const API_KEY = 'test-api-key';

export const TEST_ENV = {
  ESMS_CALLBACK_TOKENS: `old-token,${TOKEN}`,
  API_KEYS: API_KEY,
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

export const uniquePrefix = (): string => `t${randomUUID().slice(0, 8)}`;

/** Registers beforeAll/afterAll hooks and returns a getter for the running stack. */
export const useStack = (options: StackOptions = {}): (() => LocalStack) => {
  let stack: LocalStack | undefined;
  // The stack writes its settings into process.env; a worker runs several files, so each file gets back the env it found.
  let saved: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    saved = { ...process.env };
    stack = await startStack({
      endpoint: options.dataDir ? undefined : testDynamoEndpoint(),
      tablePrefix: uniquePrefix(),
      ...options,
      env: { ...TEST_ENV, ...options.env },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack && !options.dataDir) {
      const client = localClient(stack.endpoint);
      await dropTables(client, stack.tables);
      client.destroy();
    }
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  return () => {
    if (!stack) throw new Error('stack not started');
    return stack;
  };
};

export const documentClient = (endpoint: string): DynamoDBDocumentClient => DynamoDBDocumentClient.from(localClient(endpoint));

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export const getJson = async <T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<Answer<T>> => {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
};

export const postJson = async <T = Record<string, unknown>>(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer<T>> => {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
};

export const esmsUrl = (stack: LocalStack, route: string, query: string, token = TOKEN): string =>
  `${stack.url}/esms/${token}/${route}?${query}`;

export const readApi = <T = Record<string, unknown>>(stack: LocalStack, path: string) =>
  getJson<T>(`${stack.url}${path}`, { authorization: `Bearer ${API_KEY}` });

/** GET with the path sent byte for byte (fetch would re-encode `"` and parts of a malformed query). */
export const getRawPath = <T = Record<string, unknown>>(base: string, path: string): Promise<Answer<T>> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
      });
    });
    req.on('error', reject);
    req.end();
  });
