// The one place a function is declared: functions/<file>.json, one manifest per function, named after
// its handler file (functions/<file>.ts) and deploying as the camelCase of that name (esms-sms → esmsSms).
// From the manifests this module builds serverless.yml's `functions:` map (`${file(./infra/manifests/index.js)}`)
// and, for infra/resources.js, each function's least-privilege IAM statements; the local stack reads its
// routes and stream consumers from here too (infra/local/routes.ts). Plain CommonJS because osls loads it;
// index.d.ts types it for the TypeScript side, and test/infra/manifest.test.ts checks it.
//
// A manifest (keys starting with `$` are comments, anywhere):
//   handler      "functions/<file>.<export>"
//   trigger      exactly one of { httpApi: { method, path } } | { schedule: "rate(…)" } |
//                { stream: { table, onFailure?: <queue logical id>, …osls stream settings } } |
//                { sqs: { queue: <infra/queues.json name>, batchSize?, batchWindow?, maximumConcurrency? } }
//   settings     { timeout?, memorySize?, reservedConcurrency?, environment? } (osls variables allowed)
//   secrets      SSM parameters (infra/ssm-parameters.json names) its code reads: ssm:GetParameters on exactly those
//   tables       { <table>: { actions: [dynamodb:…], leadingKeys: [glob…] | anyKey: "why no condition" } }, or a
//                list of such grants for one table when actions differ by key (each its own statement: e.g.
//                GetItem on APIKEY#* and UpdateItem on T#*#CRED, not both on both)
//   indexes      { <table>: { <index>: { leadingKeys: [glob…] } | { anyKey: "why" } } } (dynamodb:Query)
//   queues       { <infra/queues.json name>: ["sqs:SendMessage", …] }: those actions on the queue, and its URL in the environment
//   statements   extra IAM statements, verbatim (e.g. kms:Decrypt for a customer managed key)
// A stream trigger also grants reading that table's stream, and its onFailure queue sqs:SendMessage: the
// event source mapping runs with the function's role.
const { readdirSync, readFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const tables = require('../tables.json');
const secrets = require('../ssm-parameters.json');
const queues = require('../queues.json');

const MANIFEST_DIR = join(__dirname, '..', '..', 'functions');

/** `esms-sms` → `esmsSms`: the function's name in serverless.yml, its logical ids and its deployed name. */
const functionNameOf = (file) => file.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const roleLogicalId = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}Role`;
const tableLogicalId = (name) => `${name}Table`;
const tableArn = (name) => ({ 'Fn::GetAtt': [tableLogicalId(name), 'Arn'] });
const indexArn = (name, index) => ({ 'Fn::Join': ['', [tableArn(name), `/index/${index}`]] });

const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const LEADING_KEYS_OPERATOR = 'ForAllValues:StringLike';
const TOP_KEYS = new Set(['handler', 'trigger', 'settings', 'secrets', 'tables', 'indexes', 'queues', 'statements']);
/** What an SQS trigger's event source mapping does with the queue, under the function's role. */
const SQS_CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];
const QUEUE_ACTIONS = new Set(['sqs:SendMessage', 'sqs:GetQueueAttributes']);
const queueLogicalId = (name) => `${name}Queue`;
const isQueue = (name) => !name.startsWith('$') && name in queues;
const SETTING_KEYS = new Set(['timeout', 'memorySize', 'reservedConcurrency', 'environment']);

/** Every table grant of a manifest as [table, grant] pairs (a table may list several grants). */
const tableGrants = (m) => Object.entries(m.tables ?? {}).flatMap(([table, value]) => (Array.isArray(value) ? value : [value]).map((grant) => [table, grant]));

/** Drops comment keys (`$…`) at every depth. */
const withoutComments = (value) => {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('$')).map(([key, inner]) => [key, withoutComments(inner)]));
};

const isStringList = (value) => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.length > 0);

/** Every mistake of one manifest (an empty list when it is well formed). */
const problemsOf = (name, m) => {
  const problems = [];
  const fail = (message) => problems.push(`functions/${name}.json: ${message}`);
  for (const key of Object.keys(m)) if (!TOP_KEYS.has(key)) fail(`unknown key "${key}"`);
  if (typeof m.handler !== 'string' || !/^functions\/[a-z0-9-]+\.[A-Za-z_$][\w$]*$/.test(m.handler)) fail('handler must be "functions/<file>.<export>"');
  const triggers = Object.keys(m.trigger ?? {});
  if (triggers.length !== 1 || !['httpApi', 'schedule', 'stream', 'sqs'].includes(triggers[0])) fail('trigger must be exactly one of httpApi, schedule, stream, sqs');
  if (m.trigger?.sqs) {
    if (!isQueue(m.trigger.sqs.queue)) fail(`trigger.sqs.queue "${m.trigger.sqs.queue}" is not a queue of infra/queues.json`);
    for (const key of Object.keys(m.trigger.sqs)) if (!['queue', 'batchSize', 'batchWindow', 'maximumConcurrency'].includes(key)) fail(`trigger.sqs: unknown key "${key}"`);
  }
  for (const [queue, actions] of Object.entries(m.queues ?? {})) {
    if (!isQueue(queue)) fail(`queue "${queue}" is not in infra/queues.json`);
    if (!isStringList(actions) || !actions.every((action) => QUEUE_ACTIONS.has(action))) fail(`queues.${queue} must list actions of ${[...QUEUE_ACTIONS].join(', ')}`);
  }
  if (m.trigger?.httpApi && !(typeof m.trigger.httpApi.method === 'string' && typeof m.trigger.httpApi.path === 'string' && Object.keys(m.trigger.httpApi).length === 2)) {
    fail('trigger.httpApi must be { method, path }');
  }
  if ('schedule' in (m.trigger ?? {}) && typeof m.trigger.schedule !== 'string') fail('trigger.schedule must be a rate() or cron() expression');
  if (m.trigger?.stream) {
    const { table, onFailure } = m.trigger.stream;
    if (!tables[table]?.StreamSpecification?.StreamEnabled) fail(`trigger.stream.table "${table}" is not a table of infra/tables.json with a stream`);
    if (onFailure !== undefined && typeof onFailure !== 'string') fail('trigger.stream.onFailure must name an SQS queue resource');
    for (const key of ['arn', 'type', 'destinations']) if (key in m.trigger.stream) fail(`trigger.stream.${key} is derived (from table and onFailure): remove it`);
  }
  for (const key of Object.keys(m.settings ?? {})) if (!SETTING_KEYS.has(key)) fail(`unknown setting "${key}"`);
  for (const name of m.secrets ?? []) if (!(name in secrets) || name.startsWith('$')) fail(`secret "${name}" is not defined in infra/ssm-parameters.json`);
  for (const [table, value] of Object.entries(m.tables ?? {})) {
    if (!(table in tables)) fail(`table "${table}" is not in infra/tables.json`);
    if (Array.isArray(value) && value.length === 0) fail(`tables.${table} lists no grant`);
  }
  for (const [table, grant] of tableGrants(m)) {
    if (!isStringList(grant.actions) || !grant.actions.every((action) => /^dynamodb:[A-Za-z]+$/.test(action))) fail(`tables.${table}.actions must list dynamodb: actions`);
    if (('leadingKeys' in grant) === ('anyKey' in grant)) fail(`tables.${table} needs exactly one of leadingKeys (globs) or anyKey (why no condition)`);
    if ('leadingKeys' in grant && !isStringList(grant.leadingKeys)) fail(`tables.${table}.leadingKeys must list key globs`);
    for (const key of Object.keys(grant)) if (!['actions', 'leadingKeys', 'anyKey'].includes(key)) fail(`tables.${table}: unknown key "${key}"`);
  }
  for (const [table, indexes] of Object.entries(m.indexes ?? {})) {
    const known = (tables[table]?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName);
    for (const [index, grant] of Object.entries(indexes)) {
      if (!known.includes(index)) fail(`index "${table}.${index}" is not in infra/tables.json`);
      if (('leadingKeys' in grant) === ('anyKey' in grant)) fail(`indexes.${table}.${index} needs exactly one of leadingKeys (globs of the index's hash key) or anyKey (why no condition)`);
      if ('leadingKeys' in grant && !isStringList(grant.leadingKeys)) fail(`indexes.${table}.${index}.leadingKeys must list key globs`);
    }
  }
  if (m.statements !== undefined && !Array.isArray(m.statements)) fail('statements must be a list of IAM statements');
  return problems;
};

/**
 * Every manifest of `dir`, keyed by function name, in file-name order. Throws on the first malformed one,
 * so `sls package` refuses a bad manifest before it builds anything.
 */
const loadManifests = (dir = MANIFEST_DIR) => {
  const manifests = {};
  const problems = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const name = basename(file, '.json');
    let raw;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: ${error.message}`);
      continue;
    }
    const manifest = withoutComments(raw);
    problems.push(...problemsOf(name, manifest));
    manifests[functionNameOf(name)] = { ...manifest, file: name };
  }
  if (problems.length > 0) throw new Error(`malformed function manifests:\n  ${problems.join('\n  ')}`);
  return manifests;
};

/** The osls event of a trigger. */
const eventOf = (trigger) => {
  if (trigger.httpApi) return { httpApi: { ...trigger.httpApi } };
  if (trigger.schedule) return { schedule: trigger.schedule };
  if (trigger.sqs) {
    const { queue, batchWindow, ...settings } = trigger.sqs;
    return {
      sqs: {
        arn: { 'Fn::GetAtt': [queueLogicalId(queue), 'Arn'] },
        ...settings,
        ...(batchWindow !== undefined ? { maximumBatchingWindow: batchWindow } : {}),
        functionResponseType: 'ReportBatchItemFailures',
      },
    };
  }
  const { table, onFailure, ...settings } = trigger.stream;
  return {
    stream: {
      type: 'dynamodb',
      arn: { 'Fn::GetAtt': [tableLogicalId(table), 'StreamArn'] },
      ...settings,
      ...(onFailure ? { destinations: { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [onFailure, 'Arn'] } } } } : {}),
    },
  };
};

/** serverless.yml's `functions:` map: handler, its own role, settings, and the trigger as its one event. */
/** The environment of a function: its settings' own, and the URL (`env` of infra/queues.json) of each queue it sends to or is triggered by. */
const environmentOf = (m) => {
  const named = [...Object.keys(m.queues ?? {}), ...(m.trigger.sqs ? [m.trigger.sqs.queue] : [])];
  const urls = named.filter((queue) => queues[queue].env).map((queue) => [queues[queue].env, { Ref: queueLogicalId(queue) }]);
  const environment = { ...(m.settings?.environment ?? {}), ...Object.fromEntries(urls) };
  return Object.keys(environment).length > 0 ? { environment } : {};
};

const functionEntries = (manifests = loadManifests()) => Object.fromEntries(Object.entries(manifests).map(([fn, m]) => [fn, {
  handler: m.handler,
  role: roleLogicalId(fn),
  ...(m.settings ?? {}),
  ...environmentOf(m),
  events: [eventOf(m.trigger)],
}]));

/** The SSM parameter `/<service>/<stage>/<name>` as an ARN (hierarchical names drop the leading slash). */
const parameterArn = (service, stage, name) =>
  ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${service}/${stage}/${name}` });

const leadingKeys = (grant) => (grant.leadingKeys ? { Condition: { [LEADING_KEYS_OPERATOR]: { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } } } : {});

/**
 * The statements of a function's role besides its log group: table actions (with their LeadingKeys
 * condition), the stream and failure queue of a stream trigger, index queries, extra statements, SSM reads.
 */
// SecureString parameters encrypted with the AWS managed key alias/aws/ssm need no kms:Decrypt grant: its
// key policy lets any principal of the account decrypt through SSM. A customer managed key would need
// kms:Decrypt on that key with kms:ViaService ssm.<region>.amazonaws.com (docs/operations.md): `statements`.
const roleStatements = (m, { service, stage }) => {
  const stream = m.trigger.stream;
  return [
    ...tableGrants(m).map(([table, grant]) => ({ Effect: 'Allow', Action: [...grant.actions], Resource: [tableArn(table)], ...leadingKeys(grant) })),
    ...(stream ? [{ Effect: 'Allow', Action: STREAM_READ, Resource: [{ 'Fn::GetAtt': [tableLogicalId(stream.table), 'StreamArn'] }] }] : []),
    ...(stream?.onFailure ? [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': [stream.onFailure, 'Arn'] }] }] : []),
    ...(m.trigger.sqs ? [{ Effect: 'Allow', Action: SQS_CONSUME, Resource: [{ 'Fn::GetAtt': [queueLogicalId(m.trigger.sqs.queue), 'Arn'] }] }] : []),
    ...Object.entries(m.queues ?? {}).map(([queue, actions]) => ({ Effect: 'Allow', Action: [...actions], Resource: [{ 'Fn::GetAtt': [queueLogicalId(queue), 'Arn'] }] })),
    ...Object.entries(m.indexes ?? {}).flatMap(([table, indexes]) => {
      const entries = Object.entries(indexes);
      // Indexes of one table under the same condition share a statement.
      const groups = new Map();
      for (const [index, grant] of entries) {
        const key = JSON.stringify(grant.leadingKeys ?? null);
        groups.set(key, [...(groups.get(key) ?? []), [index, grant]]);
      }
      return [...groups.values()].map((group) => ({
        Effect: 'Allow', Action: ['dynamodb:Query'], Resource: group.map(([index]) => indexArn(table, index)), ...leadingKeys(group[0][1]),
      }));
    }),
    ...(m.statements ?? []),
    ...(m.secrets?.length ? [{ Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: m.secrets.map((name) => parameterArn(service, stage, name)) }] : []),
  ];
};

module.exports = Object.assign(async () => functionEntries(), {
  MANIFEST_DIR,
  STREAM_READ,
  SQS_CONSUME,
  queueLogicalId,
  LEADING_KEYS_OPERATOR,
  functionNameOf,
  roleLogicalId,
  tableLogicalId,
  loadManifests,
  tableGrants,
  functionEntries,
  roleStatements,
  parameterArn,
});
