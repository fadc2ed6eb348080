/**
 * EXPERIMENT (bench only): the real SDK, loaded at the first request instead of at module init. An
 * esbuild plugin points the product's `@aws-sdk/lib-dynamodb` and `@aws-sdk/client-dynamodb` imports
 * here; the `require` calls below stay inside functions, so esbuild wraps the (CommonJS) SDK in a lazy
 * initialiser that runs on the first `send`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Sdk = { lib: typeof import('@aws-sdk/lib-dynamodb'); client: typeof import('@aws-sdk/client-dynamodb') };
let sdk: Sdk | undefined;
const load = (): Sdk => (sdk ??= { lib: require('@aws-sdk/lib-dynamodb'), client: require('@aws-sdk/client-dynamodb') });

abstract class Command {
  abstract readonly name: 'UpdateCommand' | 'PutCommand' | 'GetCommand' | 'DeleteCommand' | 'QueryCommand' | 'ScanCommand';
  constructor(public readonly input: Record<string, unknown>) {}
}
export class UpdateCommand extends Command { readonly name = 'UpdateCommand' as const; }
export class PutCommand extends Command { readonly name = 'PutCommand' as const; }
export class GetCommand extends Command { readonly name = 'GetCommand' as const; }
export class DeleteCommand extends Command { readonly name = 'DeleteCommand' as const; }
export class QueryCommand extends Command { readonly name = 'QueryCommand' as const; }
export class ScanCommand extends Command { readonly name = 'ScanCommand' as const; }

export class DynamoDBClient {
  constructor(readonly config: Record<string, unknown> = {}) {}
}

export class DynamoDBDocumentClient {
  private real: any;
  private constructor(private readonly client: DynamoDBClient, private readonly options: unknown) {}
  static from(client: DynamoDBClient, options?: unknown): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client, options);
  }
  send(command: Command): Promise<any> {
    const { lib, client } = load();
    this.real ??= lib.DynamoDBDocumentClient.from(new client.DynamoDBClient(this.client.config), this.options as never);
    const Real = (lib as Record<string, any>)[command.name];
    return this.real.send(new Real(command.input));
  }
  destroy() {
    this.real?.destroy();
  }
}
