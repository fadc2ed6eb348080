/** Creates the project's tables on DynamoDB Local from the same definitions CloudFormation uses. */
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, TTL_ATTRIBUTE } from '../../lib/table/names';

export type TableNames = Record<keyof typeof TABLE_DEFINITIONS, string>;

export const tableNames = (prefix: string): TableNames => ({ Messages: `${prefix}-messages`, Counters: `${prefix}-counters`, Registry: `${prefix}-registry` });

const exists = async (client: DynamoDBClient, name: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return false;
    throw error;
  }
};

export const ensureTables = async (client: DynamoDBClient, names: TableNames): Promise<void> => {
  for (const [logical, definition] of Object.entries(TABLE_DEFINITIONS) as Array<[keyof TableNames, object]>) {
    const name = names[logical];
    if (await exists(client, name)) continue;
    await client.send(new CreateTableCommand({ ...(definition as Omit<CreateTableCommandInput, 'TableName'>), TableName: name }));
    if (logical === 'Messages' || logical === 'Registry') {
      await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
    }
  }
};

/** Deletes a stack's tables (tests share one DynamoDB Local; a finished file's data would only weigh on the others). */
export const dropTables = async (client: DynamoDBClient, names: TableNames): Promise<void> => {
  for (const name of Object.values(names)) {
    if (await exists(client, name)) await client.send(new DeleteTableCommand({ TableName: name }));
  }
};
