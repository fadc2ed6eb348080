/**
 * EXPERIMENT (bench only): a drop-in for the part of `@aws-sdk/lib-dynamodb` (and `@aws-sdk/client-dynamodb`,
 * `@aws-sdk/util-dynamodb`) this project uses, backed by mini-dynamodb.ts. An esbuild plugin points the
 * product's imports here, so the product's own adapters run unchanged over the minimal client.
 */
import { buildMiniDynamo, marshall, unmarshall, type MiniConfig, type MiniDynamo } from './mini-dynamodb';

export { marshall, unmarshall };

abstract class Command {
  abstract readonly target: string;
  constructor(public readonly input: Record<string, unknown>) {}
}
export class UpdateCommand extends Command { readonly target = 'UpdateItem'; }
export class PutCommand extends Command { readonly target = 'PutItem'; }
export class GetCommand extends Command { readonly target = 'GetItem'; }
export class DeleteCommand extends Command { readonly target = 'DeleteItem'; }
export class QueryCommand extends Command { readonly target = 'Query'; }
export class ScanCommand extends Command { readonly target = 'Scan'; }
export class BatchGetCommand extends Command { readonly target = 'BatchGetItem'; }
export class TransactWriteCommand extends Command { readonly target = 'TransactWriteItems'; }

/** Commands built by the real lib-dynamodb (when the bench runs the product's adapters unbundled). */
const OPERATION_OF: Record<string, string> = {
  UpdateCommand: 'UpdateItem', PutCommand: 'PutItem', GetCommand: 'GetItem', DeleteCommand: 'DeleteItem', QueryCommand: 'Query', ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem', TransactWriteCommand: 'TransactWriteItems',
};
const targetOf = (command: { target?: string; constructor: { name: string } }): string => {
  const target = command.target ?? OPERATION_OF[command.constructor.name];
  if (!target) throw new Error(`mini client: unsupported command ${command.constructor.name}`);
  return target;
};

const ITEM_INPUTS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;
const ITEM_OUTPUTS = ['Item', 'Attributes', 'LastEvaluatedKey'] as const;

/** Stands in for `new DynamoDBClient(config)`: keeps the config; the connection pool is built on first use. */
export class DynamoDBClient {
  private mini: MiniDynamo | undefined;
  constructor(readonly config: MiniConfig = {}) {}
  get low(): MiniDynamo {
    this.mini ??= buildMiniDynamo(this.config);
    return this.mini;
  }
  destroy() {
    this.mini?.destroy();
  }
}

type BatchRequest = Record<string, { Keys: Array<Record<string, unknown>> } & Record<string, unknown>>;
/** BatchGetItem's per-table key lists, each key converted. */
const mapKeys = (request: BatchRequest, convert: (key: Record<string, unknown>) => Record<string, unknown>): BatchRequest =>
  Object.fromEntries(Object.entries(request).map(([table, entry]) => [table, { ...entry, Keys: entry.Keys.map(convert) }]));

/** The low-level operation and AttributeValue-shaped input a document command becomes on the wire. */
export const toWire = (command: Command | { input: Record<string, unknown> }): { target: string; input: Record<string, unknown> } => {
  const input: Record<string, unknown> = { ...command.input };
  for (const field of ITEM_INPUTS) if (input[field]) input[field] = marshall(input[field] as Record<string, unknown>);
  if (input.RequestItems) input.RequestItems = mapKeys(input.RequestItems as BatchRequest, marshall);
  if (input.TransactItems) {
    input.TransactItems = (input.TransactItems as Array<Record<string, Record<string, unknown>>>).map((entry) => Object.fromEntries(Object.entries(entry).map(([op, inner]) => {
      const converted: Record<string, unknown> = { ...inner };
      for (const field of ITEM_INPUTS) if (converted[field]) converted[field] = marshall(converted[field] as Record<string, unknown>);
      return [op, converted];
    })));
  }
  return { target: targetOf(command as Command), input };
};

export class DynamoDBDocumentClient {
  private constructor(private readonly client: DynamoDBClient) {}
  static from(client: DynamoDBClient, _options?: unknown): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client);
  }
  async send(command: Command | { input: Record<string, unknown> }): Promise<Record<string, unknown>> {
    const { target, input } = toWire(command);
    const output = await this.client.low.call(target, input);
    for (const field of ITEM_OUTPUTS) if (output[field]) output[field] = unmarshall(output[field] as Record<string, Record<string, unknown>>);
    if (Array.isArray(output.Items)) output.Items = (output.Items as Array<Record<string, Record<string, unknown>>>).map((item) => unmarshall(item));
    if (output.Responses) {
      output.Responses = Object.fromEntries(Object.entries(output.Responses as Record<string, Array<Record<string, Record<string, unknown>>>>)
        .map(([table, items]) => [table, items.map((item) => unmarshall(item))]));
    }
    if (output.UnprocessedKeys) output.UnprocessedKeys = mapKeys(output.UnprocessedKeys as BatchRequest, (key) => unmarshall(key as Record<string, Record<string, unknown>>));
    return output;
  }
  destroy() {
    this.client.destroy();
  }
}
