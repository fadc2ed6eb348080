/**
 * EXPERIMENT (bench only): the real SDK, loaded at the first request instead of at module init. An
 * esbuild plugin points the product's `@aws-sdk/lib-dynamodb` and `@aws-sdk/client-dynamodb` imports
 * here; the `require` below stays inside a function, so esbuild wraps the SDK in a lazy initialiser that
 * runs on the first `send` (the bundle still carries, and V8 still pre-parses, the SDK's source).
 */
import type * as SdkChunk from './sdk-chunk';

type Sdk = typeof SdkChunk;
let sdk: Sdk | undefined;
// In the 'lazy-split' variant the bundler points './sdk-chunk' at a separate file next to the handler,
// so V8 does not even pre-parse the SDK during init.
const load = (): Sdk => (sdk ??= require('./sdk-chunk') as Sdk);

abstract class Command {
  abstract readonly name: 'UpdateCommand' | 'PutCommand' | 'GetCommand' | 'DeleteCommand' | 'QueryCommand' | 'ScanCommand' | 'BatchGetCommand' | 'TransactWriteCommand';
  constructor(public readonly input: Record<string, unknown>) {}
}
export class UpdateCommand extends Command { readonly name = 'UpdateCommand' as const; }
export class PutCommand extends Command { readonly name = 'PutCommand' as const; }
export class GetCommand extends Command { readonly name = 'GetCommand' as const; }
export class DeleteCommand extends Command { readonly name = 'DeleteCommand' as const; }
export class QueryCommand extends Command { readonly name = 'QueryCommand' as const; }
export class ScanCommand extends Command { readonly name = 'ScanCommand' as const; }
export class BatchGetCommand extends Command { readonly name = 'BatchGetCommand' as const; }
export class TransactWriteCommand extends Command { readonly name = 'TransactWriteCommand' as const; }

export class DynamoDBClient {
  constructor(readonly config: Record<string, unknown> = {}) {}
}

export class DynamoDBDocumentClient {
  private real: { send(command: unknown): Promise<Record<string, unknown>>; destroy(): void } | undefined;
  private constructor(private readonly client: DynamoDBClient, private readonly options: unknown) {}
  static from(client: DynamoDBClient, options?: unknown): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client, options);
  }
  send(command: Command): Promise<Record<string, unknown>> {
    const { lib, client } = load();
    this.real ??= lib.DynamoDBDocumentClient.from(new client.DynamoDBClient(this.client.config), this.options as never) as unknown as NonNullable<typeof this.real>;
    const Real = (lib as unknown as Record<string, new (input: unknown) => unknown>)[command.name]!;
    return this.real.send(new Real(command.input));
  }
  destroy() {
    this.real?.destroy();
  }
}
