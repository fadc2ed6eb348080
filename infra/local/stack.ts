/**
 * The whole local stack in one call: DynamoDB Local (or an engine already running), the tables, the
 * HTTP front door over serverless.yml's routes and, when asked, the stream poller feeding the aggregator.
 * `npm start` and the integration tests use it alike.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE_ENV } from '../../lib/names';
import { applyLocalDefaults } from './defaults';
import { localClient, startDynamoLocal, type LocalDynamo } from './dynamodb';
import { startHttpServer } from './server';
import { ensureTables, tableNames, type TableNames } from './tables';

export interface StackOptions {
  port?: number;
  /** Use this running engine instead of starting one. */
  endpoint?: string;
  dataDir?: string;
  tablePrefix?: string;
  env?: Record<string, string>;
}

export interface LocalStack {
  url: string;
  endpoint: string;
  tables: TableNames;
  dynamo: LocalDynamo | undefined;
  server: Server;
  stop(): Promise<void>;
}

export const startStack = async (options: StackOptions = {}): Promise<LocalStack> => {
  Object.assign(process.env, options.env ?? {});
  applyLocalDefaults();
  const dynamo = options.endpoint ? undefined : await startDynamoLocal({ dataDir: options.dataDir ?? process.env.DATA_DIR });
  const endpoint = options.endpoint ?? dynamo!.endpoint;
  const tables = tableNames(options.tablePrefix ?? 'local');
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env[TABLE_ENV.messages] = tables.Messages;
  process.env[TABLE_ENV.counters] = tables.Counters;
  const client = localClient(endpoint);
  await ensureTables(client, tables);
  client.destroy();
  const server = await startHttpServer(options.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpoint,
    tables,
    dynamo,
    server,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await dynamo?.stop();
    },
  };
};
