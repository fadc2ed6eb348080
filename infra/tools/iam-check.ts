/**
 * Checks a packaged CloudFormation template against the function manifests (functions/<file>.json):
 * every function of the template has a manifest and the reverse, each runs its manifest's handler and
 * settings, and its role grants exactly what the manifest lists — each action on each resource, with the
 * manifest's `dynamodb:LeadingKeys` condition where it names key globs and with none where it says anyKey.
 * Pure: the template and the manifests come in, violations go out (test/infra/manifest.test.ts runs it on
 * a deliberately wrong fixture and on both stages' packaged templates).
 */
import type { Manifest, Statement } from '../manifests/index.js';
import { manifestModule } from '../manifests/manifests';

export type ViolationKind =
  | 'missing-function'
  | 'unknown-function'
  | 'missing-role'
  | 'setting-mismatch'
  | 'unsupported-statement'
  | 'extra-grant'
  | 'missing-grant'
  | 'condition-mismatch';

export interface Violation {
  fn: string;
  kind: ViolationKind;
  /** What is wrong, naming the action, the resource and both sides. */
  detail: string;
}

export interface CheckContext {
  service: string;
  stage: string;
  /** Table names of infra/tables.json (their logical ids are `<name>Table`). */
  tables: readonly string[];
  /** The actions a stream trigger grants on its table's stream (infra/manifests/index.js STREAM_READ). */
  streamRead: readonly string[];
  /** The actions an SQS trigger grants on its queue (infra/manifests/index.js SQS_CONSUME). */
  sqsConsume: readonly string[];
}

/**
 * The only operator that limits every key of a request: ForAnyValue would let a request through when one
 * of its keys matched, and a request whose keys all match is what a least-privilege grant means.
 */
const LEADING_KEYS_OPERATOR = 'ForAllValues:StringLike';

interface Template { Resources: Record<string, Statement> }

/** A grant's key scope: `any key`, or the sorted LeadingKeys globs, or another condition verbatim. */
type Scope = string;
const ANY_KEY: Scope = 'any key';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const stable = (value: unknown): string => JSON.stringify(value, (_key, inner: unknown) =>
  inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner);

const lowerFirst = (text: string) => `${text[0]!.toLowerCase()}${text.slice(1)}`;

/**
 * A resource of a role statement in words the manifest also speaks: `table:Messages`, `index:Messages/byDay`,
 * `stream:Messages`, `queue:AggregatorDeadLetterQueue`, `parameter:api-keys`, `log-group:<function name>`;
 * anything else as its JSON.
 */
const resourceName = (resource: unknown, { service, stage, tables }: CheckContext): string => {
  const r = resource as Statement;
  const getAtt = (value: unknown): [string, string] | undefined => {
    const target = (value as Statement | undefined)?.['Fn::GetAtt'] as unknown;
    return Array.isArray(target) && target.length === 2 ? [String(target[0]), String(target[1])] : undefined;
  };
  const tableOf = (id: string) => tables.find((table) => `${table}Table` === id);
  const att = getAtt(r);
  if (att) {
    const table = tableOf(att[0]);
    if (table && att[1] === 'Arn') return `table:${table}`;
    if (table && att[1] === 'StreamArn') return `stream:${table}`;
    if (att[1] === 'Arn') return `queue:${att[0]}`;
  }
  const join = r?.['Fn::Join'] as unknown;
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && join[1].length === 2) {
    const [base, suffix] = join[1] as [unknown, unknown];
    const baseAtt = getAtt(base);
    const table = baseAtt && baseAtt[1] === 'Arn' ? tableOf(baseAtt[0]) : undefined;
    const index = typeof suffix === 'string' ? /^\/index\/([^/*]+)$/.exec(suffix)?.[1] : undefined;
    if (table && index) return `index:${table}/${index}`;
  }
  const sub = r?.['Fn::Sub'] as unknown;
  if (typeof sub === 'string') {
    const parameter = new RegExp(`^arn:\\$\\{AWS::Partition\\}:ssm:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:parameter/${service}/${stage}/([^/*]+)$`).exec(sub);
    if (parameter) return `parameter:${parameter[1]}`;
    const logs = /^arn:\$\{AWS::Partition\}:logs:\$\{AWS::Region\}:\$\{AWS::AccountId\}:log-group:\/aws\/lambda\/([^:*]+):\*$/.exec(sub);
    if (logs) return `log-group:${logs[1]}`;
  }
  return stable(resource);
};

const scopeOfGlobs = (globs: readonly string[] | undefined): Scope =>
  globs === undefined ? ANY_KEY : `LeadingKeys ${[...new Set(globs)].sort().join(' ')}`;

const scopeOfCondition = (condition: unknown): Scope => {
  if (condition === undefined) return ANY_KEY;
  const operators = Object.entries(condition as Record<string, Record<string, unknown>>);
  if (operators.length === 1 && operators[0]![0] === LEADING_KEYS_OPERATOR) {
    const keys = Object.entries(operators[0]![1]);
    if (keys.length === 1 && keys[0]![0] === 'dynamodb:LeadingKeys') return scopeOfGlobs(asArray(keys[0]![1] as string | string[]));
  }
  return `condition ${stable(condition)}`;
};

/** action on resource → the scopes under which the role grants it (several statements may grant it). */
type Grants = Map<string, Set<Scope>>;
const grantKey = (action: string, resource: string) => `${action} on ${resource}`;
const add = (grants: Grants, action: string, resource: string, scope: Scope) => {
  const key = grantKey(action, resource);
  grants.set(key, (grants.get(key) ?? new Set()).add(scope));
};

/** What the manifest says the role of `fn` grants. */
const expectedGrants = (fn: string, m: Manifest, context: CheckContext): Grants => {
  const grants: Grants = new Map();
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) add(grants, action, `log-group:${context.service}-${context.stage}-${fn}`, ANY_KEY);
  for (const [table, grant] of manifestModule.tableGrants(m)) {
    for (const action of grant.actions) add(grants, action, `table:${table}`, scopeOfGlobs(grant.leadingKeys));
  }
  for (const [table, indexes] of Object.entries(m.indexes ?? {})) {
    for (const [index, scope] of Object.entries(indexes)) add(grants, 'dynamodb:Query', `index:${table}/${index}`, scopeOfGlobs(scope.leadingKeys));
  }
  if ('stream' in m.trigger) {
    for (const action of context.streamRead) add(grants, action, `stream:${m.trigger.stream.table}`, ANY_KEY);
    if (m.trigger.stream.onFailure) add(grants, 'sqs:SendMessage', `queue:${m.trigger.stream.onFailure}`, ANY_KEY);
  }
  if ('sqs' in m.trigger) for (const action of context.sqsConsume) add(grants, action, `queue:${m.trigger.sqs.queue}Queue`, ANY_KEY);
  for (const [queue, actions] of Object.entries(m.queues ?? {})) for (const action of actions) add(grants, action, `queue:${queue}Queue`, ANY_KEY);
  for (const statement of m.statements ?? []) addStatement(grants, statement, context);
  for (const name of m.secrets ?? []) add(grants, 'ssm:GetParameters', `parameter:${name}`, ANY_KEY);
  return grants;
};

const addStatement = (grants: Grants, statement: Statement, context: CheckContext) => {
  const scope = scopeOfCondition(statement.Condition);
  for (const action of asArray(statement.Action as string | string[])) {
    for (const resource of asArray(statement.Resource as unknown)) add(grants, action, resourceName(resource, context), scope);
  }
};

const describe = (scopes: ReadonlySet<Scope> | undefined) => [...(scopes ?? [])].sort().join(' | ');

/** Every way the template's functions and roles differ from the manifests (an empty list when they agree). */
export const checkRoles = (
  manifests: Readonly<Record<string, Manifest>>,
  template: Template,
  context: CheckContext,
): Violation[] => {
  const violations: Violation[] = [];
  const flag = (fn: string, kind: ViolationKind, detail: string) => violations.push({ fn, kind, detail });
  const deployed = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id]) => id.replace(/LambdaFunction$/, '')).map(lowerFirst);
  for (const fn of deployed.filter((name) => !(name in manifests))) flag(fn, 'unknown-function', 'the template deploys it, but no manifest declares it');

  for (const [fn, m] of Object.entries(manifests)) {
    const lambda = template.Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`];
    if (!lambda) {
      flag(fn, 'missing-function', 'its manifest declares it, but the template has no such Lambda function');
      continue;
    }
    const p = lambda.Properties as Statement;
    const settings: Array<[string, unknown, unknown]> = [
      ['Handler', m.handler, p.Handler],
      ['Timeout', m.settings?.timeout, p.Timeout],
      ['MemorySize', m.settings?.memorySize, p.MemorySize],
      ['ReservedConcurrentExecutions', m.settings?.reservedConcurrency, p.ReservedConcurrentExecutions],
    ];
    for (const [name, wanted, actual] of settings) {
      if (wanted !== undefined && wanted !== actual) flag(fn, 'setting-mismatch', `${name} is ${stable(actual)}, its manifest says ${stable(wanted)}`);
    }
    const roleId = (p.Role as Statement | undefined)?.['Fn::GetAtt']?.[0] as string | undefined;
    const role = roleId === undefined ? undefined : template.Resources[roleId];
    if (role?.Type !== 'AWS::IAM::Role') {
      flag(fn, 'missing-role', `its Role is ${stable(p.Role)}, not a role of the template`);
      continue;
    }
    const actual: Grants = new Map();
    const statements = asArray(role.Properties?.Policies as Statement[]).flatMap((policy) => asArray(policy.PolicyDocument?.Statement as Statement[]));
    for (const statement of statements) {
      if (statement.Effect !== 'Allow' || 'NotAction' in statement || 'NotResource' in statement) {
        flag(fn, 'unsupported-statement', `${roleId} has a statement the manifest cannot express: ${stable(statement)}`);
        continue;
      }
      addStatement(actual, statement, context);
    }
    for (const managed of asArray(role.Properties?.ManagedPolicyArns as unknown[])) {
      flag(fn, 'unsupported-statement', `${roleId} attaches the managed policy ${stable(managed)}, which its manifest does not list`);
    }
    const expected = expectedGrants(fn, m, context);
    for (const [key, scopes] of actual) {
      const wanted = expected.get(key);
      if (!wanted) flag(fn, 'extra-grant', `its role grants ${key} (${describe(scopes)}), which its manifest does not list`);
      else if (describe(wanted) !== describe(scopes)) flag(fn, 'condition-mismatch', `its role grants ${key} for ${describe(scopes)}, its manifest says ${describe(wanted)}`);
    }
    for (const [key, scopes] of expected) {
      if (!actual.has(key)) flag(fn, 'missing-grant', `its manifest lists ${key} (${describe(scopes)}), which its role does not grant`);
    }
  }
  return violations;
};

export const formatViolation = (violation: Violation): string => `${violation.kind} ${violation.fn}: ${violation.detail}`;

/** IAM's StringLike: `*` any run of characters (none included), `?` exactly one; case-sensitive, whole string. */
export const globMatches = (glob: string, value: string): boolean => {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${pattern}$`).test(value);
};
