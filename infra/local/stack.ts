/**
 * The whole local stack in one call: DynamoDB Local (or an engine already running), the tables, the
 * HTTP front door over serverless.yml's routes and, when asked, the stream poller feeding the aggregator.
 * `npm start` and the integration tests use it alike.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE_ENV } from '../../lib/table/names';
import { applyLocalDefaults } from './defaults';
import { localClient, portIsFree, startDynamoLocal, type LocalDynamo } from './dynamodb';
import type { StreamWindowEvent, StreamWindowResponse } from '../../lib/aggregate/aggregator';
import { lambdaContext } from './apigw';
import { streamConsumers } from './routes';
import { loadHandler, startHttpServer } from './server';
import { startStreamPoller, type PollerSettings, type StreamPoller } from './stream-poller';
import { ensureTables, tableNames, type TableNames } from './tables';
import { passesFilters } from './stream-filter';
import { startLocalQueues, type LocalQueues } from './queues';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy';
import { RECIPIENTS_PER_SHARD } from '../../lib/table/esms';
import { FAKE_ESMS_DEFAULT_KEYS, startFakeEsms, type FakeEsms } from '../fakes/esms-api';
import { FAKE_ZALO_DEFAULT_FOLLOWERS, FAKE_ZALO_DEFAULT_OA, startFakeZalo, type FakeZalo } from '../fakes/zalo-api';

export interface StackOptions {
  port?: number;
  /** Use this running engine instead of starting one. */
  endpoint?: string;
  dataDir?: string;
  /** Preferred DynamoDB Local port; a busy port falls back to a free one. */
  dynamoPort?: number;
  tablePrefix?: string;
  env?: Record<string, string>;
  /**
   * Run the stream's consumers, the aggregator and the projector (default true), with overrides for tests
   * (a `batchWindowMs` override applies to both; `projector` overrides the projector's alone).
   */
  aggregator?: false | (Partial<PollerSettings> & { wrapInvoke?: (invoke: StreamInvoke) => StreamInvoke });
  projector?: Partial<PollerSettings> & { wrapInvoke?: (invoke: StreamInvoke) => StreamInvoke };
  /** Start the local fake eSMS pull APIs for reconciliation (default: when ESMS_API_BASE_URL is not set). */
  fakeEsms?: boolean;
  /** Preferred port of the fake eSMS (npm start: 3001, so `npm run reconcile` finds it); a busy port falls back to a free one. */
  fakeEsmsPort?: number;
  /** Start the local fake Zalo (OAuth, getoa, getlist) for the OA connection (default: when ZALO_OAUTH_BASE_URL is not set). */
  fakeZalo?: boolean;
  /** Preferred port of the fake Zalo (npm start: 3002); a busy port falls back to a free one. */
  fakeZaloPort?: number;
  /** Preferred port of the SQS emulation (npm start: 3003); a busy port falls back to a free one. */
  sqsPort?: number;
  /** DynamoDB's per-key limits divided by this (default: DYNAMODB_THROTTLE_SCALE; unset: no limits). */
  throttleScale?: number;
}

export type StreamInvoke = (event: StreamWindowEvent) => Promise<StreamWindowResponse>;

export interface LocalStack {
  url: string;
  endpoint: string;
  tables: TableNames;
  dynamo: LocalDynamo | undefined;
  server: Server;
  /** The aggregator's poller; its drain() drains the projector first. */
  poller: StreamPoller | undefined;
  projector: StreamPoller | undefined;
  /** The fake eSMS reconciliation pulls from, when the stack started one. */
  fakeEsms: FakeEsms | undefined;
  /** The fake Zalo the OA connection talks to, when the stack started one. */
  fakeZalo: FakeZalo | undefined;
  /** The SQS emulation with the queues of infra/queues.json and the functions they trigger. */
  queues: LocalQueues;
  /** The per-key limits in front of DynamoDB, when a throttle scale is set. */
  throttle: ThrottleProxy | undefined;
  stop(): Promise<void>;
}

export const startStack = async (options: StackOptions = {}): Promise<LocalStack> => {
  Object.assign(process.env, options.env ?? {});
  applyLocalDefaults();
  const dynamo = options.endpoint ? undefined : await startDynamoLocal({
    dataDir: options.dataDir ?? process.env.DATA_DIR,
    ...(options.dynamoPort && (await portIsFree(options.dynamoPort)) ? { port: options.dynamoPort } : {}),
  });
  const endpoint = options.endpoint ?? dynamo!.endpoint;
  const tables = tableNames(options.tablePrefix ?? 'local');
  // With DYNAMODB_THROTTLE_SCALE the functions reach DynamoDB through the per-key limits; the stream pollers read it directly.
  const scale = Number(options.throttleScale ?? process.env.DYNAMODB_THROTTLE_SCALE ?? 0);
  const throttle = scale > 0 ? await startThrottleProxy({ target: endpoint, scale }) : undefined;
  // The batch layout keeps each partition's lifetime writes within one second of its limit (256 recipients at
  // 1,000 WCU/s); limits divided by the scale divide that too, so 1,000 recipients here spread as 100,000 do on AWS.
  if (scale > 0) process.env.BATCH_RECIPIENTS_PER_SHARD ??= String(Math.max(1, Math.floor(RECIPIENTS_PER_SHARD / scale)));
  process.env.DYNAMODB_ENDPOINT = throttle?.url ?? endpoint;
  process.env[TABLE_ENV.messages] = tables.Messages;
  process.env[TABLE_ENV.counters] = tables.Counters;
  process.env[TABLE_ENV.registry] = tables.Registry;
  const client = localClient(endpoint);
  await ensureTables(client, tables);
  client.destroy();
  const fakeEsms = (options.fakeEsms ?? !process.env.ESMS_API_BASE_URL) ? await startLocalEsms(options.fakeEsmsPort) : undefined;
  const fakeZalo = (options.fakeZalo ?? !process.env.ZALO_OAUTH_BASE_URL) ? await startLocalZalo(options.fakeZaloPort) : undefined;
  const server = await startHttpServer(options.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The callback URL Zalo sends the OA admin back to: fixed, never the request's Host (on AWS a deploy parameter).
  process.env.ZALO_OA_CALLBACK_URL ??= `http://localhost:${(server.address() as AddressInfo).port}/zalo/oa-callback`;
  // After every setting is in place: the queue pollers load their handlers (and so the settings) at once.
  const queues = await startLocalQueues(options.sqsPort, options.dataDir);
  const consumers = options.aggregator === false ? undefined : await startConsumers(endpoint, tables.Messages, options);
  const streams = consumers?.poller;
  // drain(): the inbound buffer first (its drain writes records the stream then carries), then the stream.
  const poller: StreamPoller | undefined = streams && {
    ...streams,
    drain: async () => {
      await queues.idle();
      await streams.drain();
    },
  };
  return {
    url,
    endpoint,
    tables,
    dynamo,
    server,
    poller,
    projector: consumers?.projector,
    fakeEsms,
    fakeZalo,
    queues,
    throttle,
    async stop() {
      await poller?.stop();
      await queues.stop();
      await throttle?.close();
      await fakeEsms?.stop();
      await fakeZalo?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await dynamo?.stop();
    },
  };
};

/** The fake eSMS on a free port; the functions read its URL and account from the environment. */
const startLocalEsms = async (preferredPort: number | undefined): Promise<FakeEsms> => {
  const apiKey = process.env.ESMS_API_KEY || FAKE_ESMS_DEFAULT_KEYS.apiKey;
  const secretKey = process.env.ESMS_SECRET_KEY || FAKE_ESMS_DEFAULT_KEYS.secretKey;
  const port = preferredPort !== undefined && (await portIsFree(preferredPort)) ? preferredPort : 0;
  const fake = await startFakeEsms({ apiKey, secretKey, port });
  Object.assign(process.env, { ESMS_API_BASE_URL: fake.url, ESMS_STATUS_API_BASE_URL: fake.url, ESMS_API_KEY: apiKey, ESMS_SECRET_KEY: secretKey });
  return fake;
};

/** The fake Zalo on a free port, knowing the environment's OAuth apps; the functions read its URL from the environment. */
const startLocalZalo = async (preferredPort: number | undefined): Promise<FakeZalo> => {
  const port = preferredPort !== undefined && (await portIsFree(preferredPort)) ? preferredPort : 0;
  const apps = JSON.parse(process.env.ZALO_APP_SECRETS || '{}') as Record<string, string>;
  const fake = await startFakeZalo({ apps, port, defaultOaId: FAKE_ZALO_DEFAULT_OA });
  fake.setFollowers(FAKE_ZALO_DEFAULT_OA, FAKE_ZALO_DEFAULT_FOLLOWERS);
  Object.assign(process.env, { ZALO_OAUTH_BASE_URL: fake.url, ZALO_OPENAPI_BASE_URL: fake.url });
  return fake;
};

type ConsumerOverrides = Partial<PollerSettings> & { wrapInvoke?: (invoke: StreamInvoke) => StreamInvoke };

/** One stream consumer of the manifests (the aggregator, the projector) on its own poller, as Lambda runs each event source mapping. */
const startConsumer = async (
  functionName: string,
  endpoint: string,
  table: string,
  overrides: ConsumerOverrides,
  dataDir: string | undefined,
): Promise<StreamPoller> => {
  const consumer = streamConsumers().find((c) => c.functionName === functionName);
  if (!consumer) throw new Error(`the manifests declare no ${functionName} stream consumer`);
  const handler = await loadHandler<(event: StreamWindowEvent, context: unknown) => Promise<StreamWindowResponse>>(consumer.module, consumer.exportName);
  const invoke: StreamInvoke = (event) => handler(event, lambdaContext(consumer.functionName, 60_000));
  const persistent = dataDir !== undefined && dataDir !== ':memory:';
  return startStreamPoller({
    endpoint,
    table,
    batchSize: overrides.batchSize ?? consumer.batchSize,
    batchWindowMs: overrides.batchWindowMs ?? consumer.maximumBatchingWindow * 1000,
    maximumRetryAttempts: overrides.maximumRetryAttempts ?? consumer.maximumRetryAttempts,
    bisectBatchOnFunctionError: overrides.bisectBatchOnFunctionError ?? consumer.bisectBatchOnFunctionError,
    tumblingWindowInSeconds: overrides.tumblingWindowInSeconds ?? consumer.tumblingWindowInSeconds,
    invoke: overrides.wrapInvoke ? overrides.wrapInvoke(invoke) : invoke,
    filter: (record) => passesFilters(consumer.filterPatterns, record),
    ...(persistent ? { checkpointFile: `${dataDir}/stream-checkpoints-${functionName}.json`, deadLetterFile: `${dataDir}/stream-dead-letters-${functionName}.jsonl` } : {}),
    onError: (error) => console.error(`[local] ${functionName} stream poller:`, error),
  });
};

/**
 * Both consumers of the messages table's stream. The aggregator's poller is the stack's `poller`; its
 * drain() first drains the projector, whose head writes are records the aggregator then counts.
 */
const startConsumers = async (endpoint: string, table: string, options: StackOptions): Promise<{ poller: StreamPoller; projector: StreamPoller }> => {
  const aggregatorOverrides = options.aggregator || {};
  const projector = await startConsumer('projector', endpoint, table, {
    ...(aggregatorOverrides.batchWindowMs !== undefined && { batchWindowMs: aggregatorOverrides.batchWindowMs }),
    ...options.projector,
  }, options.dataDir);
  const aggregator = await startConsumer('aggregator', endpoint, table, aggregatorOverrides, options.dataDir);
  const poller: StreamPoller = {
    ...aggregator,
    drain: async () => {
      await projector.drain();
      await aggregator.drain();
    },
    stop: async () => {
      await projector.stop();
      await aggregator.stop();
    },
  };
  return { poller, projector };
};
