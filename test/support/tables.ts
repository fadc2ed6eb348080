/**
 * One test file's own tables on this worker's DynamoDB Local: created before its tests, dropped after them,
 * so a worker's engine does not pile up every earlier file's tables.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { dropTables, ensureTables, tableNames, type TableNames } from '../../infra/local/tables';
import { testDynamoEndpoint } from './dynamo-endpoint';
import { uniquePrefix } from './stack';

export interface TestTables {
  names: TableNames;
  doc: DynamoDBDocumentClient;
}

export const useTables = (prefix: string = uniquePrefix()): TestTables => {
  const names = tableNames(prefix);
  const client = localClient(testDynamoEndpoint());
  const doc = DynamoDBDocumentClient.from(client);
  beforeAll(() => ensureTables(client, names), 120_000);
  afterAll(async () => {
    await dropTables(client, names);
    doc.destroy();
  });
  return { names, doc };
};
