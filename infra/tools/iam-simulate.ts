/**
 * What IAM would say to one DynamoDB API request of a function, judged by that function's manifest: the
 * action must be granted on the table (or on the index, for a Query through one), and every partition key
 * the request names must match one of the grant's LeadingKeys globs (ForAllValues:StringLike), the way
 * `dynamodb:LeadingKeys` is evaluated: an item's key for GetItem/PutItem/UpdateItem/DeleteItem, every key of
 * a batch, each item of a write transaction under its own action, a Query's hash key (the index's own for an index). Pure: test/infra/leading-keys.test.ts puts it
 * in front of DynamoDB Local and runs the real handlers through it.
 */
import type { Manifest } from '../manifests/index.js';
import { manifestModule } from '../manifests/manifests';
import { globMatches } from './iam-check';

/** One authorization IAM makes for a request: an action on a table or index with the partition keys involved. */
export interface DynamoAccess {
  action: string;
  table: string;
  index?: string;
  keys: string[];
}

/** The tables' key schemas, as infra/tables.json writes them. */
export type TableDefinitions = Record<string, {
  KeySchema: Array<{ AttributeName: string; KeyType: string }>;
  GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: Array<{ AttributeName: string; KeyType: string }> }>;
}>;

type Attribute = Record<string, unknown>;
type Body = Record<string, unknown>;

const hashOf = (schema: Array<{ AttributeName: string; KeyType: string }>) => schema.find((key) => key.KeyType === 'HASH')!.AttributeName;

const text = (value: unknown): string => {
  const attribute = value as Attribute | undefined;
  if (attribute && typeof attribute.S === 'string') return attribute.S;
  if (attribute && typeof attribute.N === 'string') return attribute.N;
  return JSON.stringify(value);
};

/** The value a Query's KeyConditionExpression (or legacy KeyConditions) gives the hash attribute. */
const queriedKey = (body: Body, hash: string): string[] => {
  const legacy = (body.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined)?.[hash];
  if (legacy) return [text(legacy.AttributeValueList?.[0])];
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const expression = String(body.KeyConditionExpression ?? '');
  for (const [, name, value] of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((name!.startsWith('#') ? names[name!] : name) === hash) return [text(values[value!])];
  }
  return [];
};

/**
 * The authorizations one request needs. `target` is the X-Amz-Target header (`DynamoDB_20120810.PutItem`),
 * `body` the request's JSON, `tableOf` the table (infra/tables.json name) a physical table name belongs to.
 */
export const accessesOf = (target: string, body: Body, tableOf: (tableName: string) => string | undefined, tables: TableDefinitions): DynamoAccess[] => {
  const operation = target.split('.').pop() ?? target;
  const action = `dynamodb:${operation}`;
  const resolve = (tableName: unknown): string => tableOf(String(tableName)) ?? `unknown table ${String(tableName)}`;
  const pkOf = (table: string, item: unknown): string => text((item as Attribute | undefined)?.[hashOf(tables[table]?.KeySchema ?? [{ AttributeName: 'pk', KeyType: 'HASH' }])]);
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem': {
      const table = resolve(body.TableName);
      return [{ action, table, keys: [pkOf(table, body.Key)] }];
    }
    case 'PutItem': {
      const table = resolve(body.TableName);
      return [{ action, table, keys: [pkOf(table, body.Item)] }];
    }
    case 'Query': {
      const table = resolve(body.TableName);
      const index = body.IndexName === undefined ? undefined : String(body.IndexName);
      const schema = index === undefined ? tables[table]?.KeySchema : tables[table]?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index)?.KeySchema;
      return [{ action, table, ...(index !== undefined && { index }), keys: schema ? queriedKey(body, hashOf(schema)) : [] }];
    }
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).map(([tableName, request]) => {
        const table = resolve(tableName);
        return { action, table, keys: (request.Keys ?? []).map((key) => pkOf(table, key)) };
      });
    case 'BatchWriteItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, Array<{ PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }>>).map(([tableName, requests]) => {
        const table = resolve(tableName);
        return { action, table, keys: requests.map((request) => pkOf(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key)) };
      });
    case 'TransactWriteItems':
      // IAM authorizes each item by its own action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem), LeadingKeys included.
      return ((body.TransactItems ?? []) as Array<Record<string, { TableName?: string; Key?: unknown; Item?: unknown }>>).flatMap((entry) =>
        Object.entries(entry).map(([kind, request]) => {
          const table = resolve(request.TableName);
          const itemAction = kind === 'ConditionCheck' ? 'dynamodb:ConditionCheckItem' : `dynamodb:${kind}Item`;
          return { action: itemAction, table, keys: [pkOf(table, request.Item ?? request.Key)] };
        }));
    default:
      // Scan, DescribeTable, TransactGetItems…: an authorization on the table with no key the simulator reads.
      return [{ action, table: resolve(body.TableName), keys: [] }];
  }
};

/** Why IAM would refuse `access` to a function with this manifest, or undefined when it would allow it. */
export const denialOf = (manifest: Pick<Manifest, 'tables' | 'indexes'>, access: DynamoAccess): string | undefined => {
  const where = access.index === undefined ? access.table : `${access.table}/index/${access.index}`;
  // Each grant is its own statement: IAM allows when one of them allows the action on every key.
  const scopes: Array<{ actions: string[]; leadingKeys?: string[] | undefined }> = access.index === undefined
    ? manifestModule.tableGrants(manifest).filter(([table]) => table === access.table).map(([, grant]) => grant)
    : [manifest.indexes?.[access.table]?.[access.index]].filter((scope) => scope !== undefined).map((scope) => ({ actions: ['dynamodb:Query'], leadingKeys: scope.leadingKeys }));
  const granting = scopes.filter((scope) => scope.actions.includes(access.action));
  if (granting.length === 0) return `${access.action} on ${where} is not granted`;
  const denials = granting.map((scope) => {
    if (['dynamodb:Scan', 'dynamodb:TransactGetItems', 'dynamodb:TransactWriteItems', 'dynamodb:PartiQLSelect'].includes(access.action) && scope.leadingKeys) {
      return `${access.action} on ${where}: the simulator cannot judge its keys against LeadingKeys`;
    }
    const outside = scope.leadingKeys ? access.keys.filter((key) => !scope.leadingKeys!.some((glob) => globMatches(glob, key))) : [];
    return outside.length > 0 ? `${access.action} on ${where} for key ${outside.join(', ')}: outside LeadingKeys ${scope.leadingKeys!.join(' ')}` : undefined;
  });
  return denials.includes(undefined) ? undefined : denials.join('; ');
};
