/** Types of infra/manifests/index.js (CommonJS, loaded by osls): the function manifests and what is built from them. */

/** IAM statement, as CloudFormation takes it (untyped JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON (Fn::GetAtt, Fn::Sub, …)
export type Statement = Record<string, any>;

/** The partition keys a grant is limited to (`dynamodb:LeadingKeys`, ForAllValues:StringLike), or why it is not. */
export type KeyScope = { leadingKeys: string[]; anyKey?: never } | { anyKey: string; leadingKeys?: never };

export type TableGrant = KeyScope & { actions: string[] };

export interface HttpApiTrigger { httpApi: { method: string; path: string } }
export interface ScheduleTrigger { schedule: string }
export interface StreamTrigger {
  stream: {
    /** A table of infra/tables.json with a stream. */
    table: string;
    /** Logical id of the SQS queue that receives records the function gave up on. */
    onFailure?: string;
    startingPosition?: string;
    batchSize?: number;
    batchWindow?: number;
    tumblingWindowInSeconds?: number;
    parallelizationFactor?: number;
    functionResponseType?: string;
    bisectBatchOnFunctionError?: boolean;
    maximumRetryAttempts?: number;
    maximumRecordAgeInSeconds?: number;
    filterPatterns?: unknown[];
  };
}
export interface SqsTrigger {
  sqs: {
    /** A queue of infra/queues.json. */
    queue: string;
    batchSize?: number;
    batchWindow?: number;
    maximumConcurrency?: number;
  };
}
export type Trigger = HttpApiTrigger | ScheduleTrigger | StreamTrigger | SqsTrigger;

export interface Manifest {
  /** `functions/<file>.<export>` */
  handler: string;
  trigger: Trigger;
  settings?: { timeout?: number; memorySize?: number; reservedConcurrency?: number; environment?: Record<string, string> };
  /** infra/ssm-parameters.json names the function reads at run time. */
  secrets?: string[];
  /** One grant per table, or several when actions differ by key (each its own statement). */
  tables?: Record<string, TableGrant | TableGrant[]>;
  indexes?: Record<string, Record<string, KeyScope>>;
  /** Queues of infra/queues.json it sends to, with the actions granted. */
  queues?: Record<string, string[]>;
  statements?: Statement[];
  /** The manifest's file name without `.json` (also the handler's file name). */
  file: string;
}

/** One entry of serverless.yml's `functions:` map. */
export interface FunctionEntry {
  handler: string;
  role: string;
  timeout?: number;
  memorySize?: number;
  reservedConcurrency?: number;
  environment?: Record<string, string>;
  events: Array<
    | { httpApi: { method: string; path: string } }
    | { schedule: string }
    | { stream: Record<string, unknown> }
    | { sqs: Record<string, unknown> }
  >;
}

export const MANIFEST_DIR: string;
export const STREAM_READ: string[];
export const SQS_CONSUME: string[];
export function queueLogicalId(queue: string): string;
export const LEADING_KEYS_OPERATOR: 'ForAllValues:StringLike';
export function functionNameOf(file: string): string;
export function roleLogicalId(fn: string): string;
export function tableLogicalId(table: string): string;
/** Every manifest of `dir` (default functions/*.json) by function name; throws listing every malformed one. */
export function loadManifests(dir?: string): Record<string, Manifest>;
/** Every table grant of a manifest as [table, grant] pairs (a table may list several grants). */
export function tableGrants(manifest: Pick<Manifest, 'tables'>): Array<[string, TableGrant]>;
export function functionEntries(manifests?: Record<string, Manifest>): Record<string, FunctionEntry>;
export function roleStatements(manifest: Manifest, context: { service: string; stage: string }): Statement[];
export function parameterArn(service: string, stage: string, name: string): Statement;
