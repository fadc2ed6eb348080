/**
 * What `sls package` (osls, offline, no AWS credentials) would deploy for each stage, checked against the
 * files the code and the local stack also read: serverless.yml, infra/tables.json, the function manifests
 * (functions/<file>.json; test/infra/manifest.test.ts compares each role to its manifest statement by
 * statement) and lib/table/names.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestModule } from '../../infra/manifests/manifests';
import { httpRoutes, PROJECT_ROOT, readServerlessFunctions } from '../../infra/local/routes';
import { parse } from 'yaml';
import { SECRET_SETTINGS } from '../../lib/config/settings';
import { TABLE_DEFINITIONS, TABLE_ENV, TTL_ATTRIBUTE, ZALO_MSG_INDEX } from '../../lib/table/names';
import { DAY_INDEX, REQUEST_INDEX } from '../../lib/table/esms';
import { METRIC_DEFINITIONS, METRIC_NAMESPACE } from '../../lib/observability/metric-names';
import { PACKAGE_TIMEOUT_MS, packagedTemplate, type PackagedTemplate as Packaged } from '../support/packaged-template';
import { alarmMetrics, appMetricProblems, dashboardMetrics, dashboardOf, type MetricRef } from './template-metrics';
import type { Json } from './json';

const SERVICE = 'vn-messaging-webhooks';
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** What a stream trigger grants (infra/manifests/index.js): reading that table's stream. */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];


// Packaged once per stage per test run, shared with test/infra/cfn-spec.test.ts (test/support/packaged-template.ts).
const runs: Record<string, Promise<Packaged>> = { sandbox: packagedTemplate('sandbox'), prod: packagedTemplate('prod') };

const serverlessYml = readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
const stageParams = (stage: string): Json => {
  const { params } = parse(serverlessYml) as { params: Record<string, Json> };
  return { ...params.default, ...params[stage] };
};

const functions = readServerlessFunctions() as Record<string, { handler: string; role?: string; events?: Json[] }>;
const manifests = manifestModule.loadManifests();
const logicalId = (fn: string, suffix: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}${suffix}`;
const ofType = (template: Packaged['template'], type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const getAttTarget = (value: Json | undefined): string | undefined => value?.['Fn::GetAtt']?.[0];
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const statementsOf = (role: Json): Json[] =>
  asArray(role.Properties?.Policies as Json[]).flatMap((policy) => asArray(policy.PolicyDocument?.Statement as Json[]));
const roleOf = (template: Packaged['template'], fn: string): Json => {
  const id = getAttTarget(template.Resources[logicalId(fn, 'LambdaFunction')]!.Properties.Role);
  return template.Resources[id!]!;
};

/** Every action the manifest of `fn` grants: table actions, index queries, a stream trigger's reads and failure queue, statements, SSM. */
const allowedActions = (fn: string): string[] => {
  const m = manifests[fn]!;
  const stream = 'stream' in m.trigger ? m.trigger.stream : undefined;
  return [
    ...LOG_ACTIONS,
    ...manifestModule.tableGrants(m).flatMap(([, grant]) => grant.actions),
    ...(m.indexes ? ['dynamodb:Query'] : []),
    ...(stream ? STREAM_READ : []),
    ...(stream?.onFailure ? ['sqs:SendMessage'] : []),
    ...('sqs' in m.trigger ? ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'] : []),
    ...Object.values(m.queues ?? {}).flat(),
    ...asArray(m.statements).flatMap((statement) => asArray(statement.Action as string | string[])),
    ...(asArray(m.secrets).length ? ['ssm:GetParameters'] : []),
  ];
};

/** `${param:name}` and `${param:name, 'fallback'}` as osls resolves them for `stage`. */
const resolveParams = (value: string, stage: string): string =>
  value.replace(/\$\{param:(\w+)(?:, *'([^']*)')?\}/g, (_all, name: string, fallback?: string) => String(stageParams(stage)[name] ?? fallback ?? ''));

/** Central directory of a zip: name, compressed and uncompressed size of each entry. */
const zipEntries = (file: string) => {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries: Array<{ name: string; compressed: number; size: number }> = [];
  let offset = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i -= 1) {
    const nameLength = zip.readUInt16LE(offset + 28);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      compressed: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
    });
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return entries;
};

describe.each(['sandbox', 'prod'])('sls package --stage %s', (stage) => {
  const packaged = () => runs[stage]!;
  const prod = stage === 'prod';

  it('packages offline, with no AWS credentials', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    expect(ofType(template, 'AWS::Lambda::Function').length).toBe(Object.keys(functions).length);
  });

  it('every httpApi route maps RouteKey → integration → the Lambda function of its serverless.yml handler', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const R = template.Resources;
    const deployed = ofType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => {
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = R[integrationId]!;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const fnId = getAttTarget(integration.Properties.IntegrationUri)!;
      return [route.Properties.RouteKey, R[fnId]!.Properties.FunctionName, R[fnId]!.Properties.Handler];
    });
    const declared = httpRoutes().map((route) => [
      `${route.method} ${route.path}`, `${SERVICE}-${stage}-${route.functionName}`, functions[route.functionName]!.handler,
    ]);
    const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(deployed.sort(byKey)).toEqual(declared.sort(byKey));
    for (const functionName of new Set(httpRoutes().map((route) => route.functionName))) {
      const fnId = logicalId(functionName, 'LambdaFunction');
      const permission = ofType(template, 'AWS::Lambda::Permission').find(([, p]) => getAttTarget(p.Properties.FunctionName) === fnId);
      expect(permission?.[1].Properties.Principal, `${functionName} invocable by API Gateway`).toBe('apigateway.amazonaws.com');
    }
  });

  it('every function runs nodejs22.x with its own role built from its manifest (no shared default role)', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    expect(Object.keys(manifests).sort()).toEqual(Object.keys(functions).sort());
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const roles = Object.keys(functions).map((fn) => {
      const resource = template.Resources[logicalId(fn, 'LambdaFunction')]!;
      expect(resource.Properties.Runtime, fn).toBe('nodejs22.x');
      const roleId = getAttTarget(resource.Properties.Role);
      expect(roleId, fn).toBe(functions[fn]!.role);
      const role = template.Resources[roleId!]!;
      expect(role.Type).toBe('AWS::IAM::Role');
      // The role was built for this function: its log statement names this function's log group.
      const logs = statementsOf(role).find((statement) => asArray(statement.Action).includes('logs:PutLogEvents'));
      expect(JSON.stringify(logs?.Resource), fn).toContain(`:log-group:/aws/lambda/${SERVICE}-${stage}-${fn}:`);
      return roleId;
    });
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('each function gets its manifest\'s settings (time-out, memory, reserved concurrency, extra environment with stage params resolved) and schedule', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const rules = ofType(template, 'AWS::Events::Rule');
    for (const [fn, m] of Object.entries(manifests)) {
      const p = template.Resources[logicalId(fn, 'LambdaFunction')]!.Properties;
      expect({ timeout: p.Timeout, memorySize: p.MemorySize, reservedConcurrency: p.ReservedConcurrentExecutions }, fn).toEqual({
        timeout: m.settings?.timeout ?? 6, memorySize: m.settings?.memorySize ?? 256, reservedConcurrency: m.settings?.reservedConcurrency,
      });
      for (const [name, value] of Object.entries(m.settings?.environment ?? {})) expect(p.Environment.Variables[name], `${fn} ${name}`).toBe(resolveParams(value, stage));
      const schedules = rules.filter(([, rule]) => asArray(rule.Properties.Targets as Json[]).some((target) => getAttTarget(target.Arn) === logicalId(fn, 'LambdaFunction')))
        .map(([, rule]) => rule.Properties.ScheduleExpression as string);
      expect(schedules, fn).toEqual('schedule' in m.trigger ? [m.trigger.schedule] : []);
    }
    expect(template.Resources.LateSweepLambdaFunction!.Properties.Environment.Variables.LATE_REPORT_HOURS).toBe('72');
  });

  it('IAM: no wildcard action, and each role grants exactly its manifest\'s actions plus log writing', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const policies = [...ofType(template, 'AWS::IAM::Role'), ...ofType(template, 'AWS::IAM::Policy'), ...ofType(template, 'AWS::IAM::ManagedPolicy')];
    for (const [id, resource] of policies) {
      const statements = resource.Type === 'AWS::IAM::Role' ? statementsOf(resource) : asArray(resource.Properties.PolicyDocument?.Statement as Json[]);
      for (const statement of statements) {
        expect(statement.NotAction, id).toBeUndefined();
        expect(asArray(statement.Action as string[]).filter((action) => action.includes('*')), id).toEqual([]);
      }
    }
    for (const fn of Object.keys(functions)) {
      const granted = statementsOf(roleOf(template, fn)).flatMap((statement) => asArray(statement.Action as string[]));
      expect([...new Set(granted)].sort(), fn).toEqual([...new Set(allowedActions(fn))].sort());
    }
  });

  it('IAM: resources are named ARNs (tables, streams, indexes, queues); the only wildcard is the log streams of the function\'s own log group', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const offenders: string[] = [];
    for (const fn of Object.keys(functions)) {
      for (const statement of statementsOf(roleOf(template, fn))) {
        const actions = asArray(statement.Action as string[]);
        for (const resource of asArray(statement.Resource as Json | string)) {
          const text = JSON.stringify(resource);
          const logStreams = actions.every((action) => action.startsWith('logs:')) && /log-group:[^*]+:\*"/.test(text);
          if (text.includes('*') && !logStreams) offenders.push(`${fn}: ${actions.join(',')} on ${text}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('tables are exactly infra/tables.json (keys, GSIs on zmsg and on the day keys, NEW_AND_OLD_IMAGES stream), named as the functions\' environment says', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const tables = ofType(template, 'AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id).sort()).toEqual(Object.keys(TABLE_DEFINITIONS).map((name) => `${name}Table`).sort());
    for (const [name, definition] of Object.entries(TABLE_DEFINITIONS)) {
      const { TableName, DeletionProtectionEnabled: _dp, PointInTimeRecoverySpecification: _pitr, TimeToLiveSpecification: _ttl, WarmThroughput: warm, ...shape } =
        template.Resources[`${name}Table`]!.Properties;
      // Pre-warmed on prod only, the messages table only (docs/capacity.md).
      expect(warm, name).toEqual(prod && name === 'Messages' ? { WriteUnitsPerSecond: 40_000, ReadUnitsPerSecond: 16_000 } : undefined);
      // As tables.json says, in CloudFormation's words: its StreamSpecification has no StreamEnabled (infra/resources.js).
      const { StreamSpecification: stream, ...apiShape } = definition as Json;
      expect(shape, name).toEqual({ ...apiShape, ...(stream?.StreamEnabled ? { StreamSpecification: { StreamViewType: stream.StreamViewType } } : {}) });
      expect(TableName).toBe(`${SERVICE}-${stage}-${name.toLowerCase()}`);
      const envName = TABLE_ENV[name.toLowerCase() as keyof typeof TABLE_ENV];
      for (const [fnId, fn] of ofType(template, 'AWS::Lambda::Function')) expect(fn.Properties.Environment.Variables[envName], fnId).toBe(TableName);
    }
    const messages = template.Resources.MessagesTable!.Properties;
    expect(messages.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(messages.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({ IndexName: ZALO_MSG_INDEX.name, KeySchema: [{ AttributeName: ZALO_MSG_INDEX.attribute, KeyType: 'HASH' }] }),
      expect.objectContaining({ IndexName: DAY_INDEX.name, KeySchema: [{ AttributeName: DAY_INDEX.hash, KeyType: 'HASH' }, { AttributeName: DAY_INDEX.range, KeyType: 'RANGE' }] }),
      expect.objectContaining({ IndexName: REQUEST_INDEX.name, KeySchema: [{ AttributeName: REQUEST_INDEX.hash, KeyType: 'HASH' }, { AttributeName: REQUEST_INDEX.range, KeyType: 'RANGE' }] }),
    ]);
  });

  it('the messages table expires items by the TTL attribute the code writes (lib/names.ts TTL_ATTRIBUTE)', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    expect(template.Resources.MessagesTable!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it(prod
    ? 'prod tables keep their data: point-in-time recovery, deletion protection, Retain on delete and replace'
    : 'sandbox tables are disposable: no point-in-time recovery, no deletion protection, no Retain', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    for (const [id, table] of ofType(template, 'AWS::DynamoDB::Table')) {
      const state = [
        table.Properties.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true,
        table.Properties.DeletionProtectionEnabled === true,
        table.DeletionPolicy === 'Retain',
        table.UpdateReplacePolicy === 'Retain',
      ];
      expect(state, id).toEqual(prod ? [true, true, true, true] : [false, false, false, false]);
    }
  });

  it('on AWS each function can learn its secrets: eSMS callbacks their tokens, the Zalo webhook its OA keys, the read API its keys (environment or an SSM read in its role)', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const missing: string[] = [];
    for (const route of httpRoutes()) {
      // settings.ts reads these from the environment only; an empty list refuses every request (404/401).
      const secret = route.path.startsWith('/esms/') ? 'ESMS_CALLBACK_TOKENS'
        : route.path.startsWith('/api/') ? 'API_KEYS'
        : route.path === '/zalo/webhook' ? 'ZALO_APPS'
        : undefined;
      if (!secret) continue;
      const fn = template.Resources[logicalId(route.functionName, 'LambdaFunction')]!;
      const inEnvironment = secret in (fn.Properties.Environment?.Variables ?? {});
      const readsSsm = statementsOf(roleOf(template, route.functionName)).some((statement) =>
        asArray(statement.Action as string[]).some((action) => action.startsWith('ssm:GetParameter')));
      if (!inEnvironment && !readsSsm) missing.push(`${route.functionName} (${secret})`);
    }
    expect(missing).toEqual([]);
  });

  it('each function\'s zip artifact exists and holds its bundled handler, and no sources, tests or local data', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { dir, template } = await packaged();
    const sizes: string[] = [];
    for (const [fn, definition] of Object.entries(functions)) {
      const artifact = join(dir, basename(template.Resources[logicalId(fn, 'LambdaFunction')]!.Properties.Code.S3Key as string));
      expect(existsSync(artifact), artifact).toBe(true);
      const entries = zipEntries(artifact);
      const bundle = entries.find((entry) => entry.name === `${definition.handler.slice(0, definition.handler.lastIndexOf('.'))}.js`);
      expect(bundle, `${fn} bundle in ${basename(artifact)}`).toBeDefined();
      expect(entries.filter((entry) => /(^|\/)(node_modules|test|\.local)\/|\.ts$/.test(entry.name)).map((entry) => entry.name), fn).toEqual([]);
      sizes.push(`${fn}: ${basename(artifact)} ${statSync(artifact).size} B (${entries.length} files); ${bundle!.name} ${bundle!.size} B, ${bundle!.compressed} B compressed`);
    }
    console.log(`[${stage}] artifacts\n  ${sizes.join('\n  ')}`);
  });
  it('secrets are read at run time: SECRETS_PATH=/<service>/<stage>, no secret in the environment, and each role may read exactly its manifest\'s SSM parameters (ssm:GetParameters, no wildcard, no KMS grant)', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    expect(serverlessYml, 'nothing resolved from SSM at package time').not.toMatch(/\$\{(ssm|aws:ssm|secretsmanager):/);
    for (const [fnId, fn] of ofType(template, 'AWS::Lambda::Function')) {
      const variables = fn.Properties.Environment.Variables as Record<string, string>;
      expect(variables.SECRETS_PATH, fnId).toBe(`/${SERVICE}/${stage}`);
      expect(SECRET_SETTINGS.filter((name) => name in variables), fnId).toEqual([]);
    }
    for (const fn of Object.keys(functions)) {
      const statements = statementsOf(roleOf(template, fn));
      const ssm = statements.filter((statement) => asArray(statement.Action as string[]).some((action) => action.startsWith('ssm:')));
      const wanted = asArray(manifests[fn]!.secrets);
      expect(ssm.flatMap((statement) => asArray(statement.Action as string[])), fn).toEqual(wanted.length ? ['ssm:GetParameters'] : []);
      const arns = ssm.flatMap((statement) => asArray(statement.Resource as Json[])).map((resource) => resource['Fn::Sub']);
      expect(arns.sort(), fn).toEqual(wanted.map((name) => `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${SERVICE}/${stage}/${name}`).sort());
      expect(statements.filter((statement) => asArray(statement.Action as string[]).some((action) => action.startsWith('kms:'))), fn).toEqual([]);
    }
  });

  it('the aggregator\'s stream mapping: bisect on error, bounded retries and record age, SQS on-failure destination, ReportBatchItemFailures, 60 s tumbling window, one consumer per shard', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping');
    // The table's stream has two consumers (DynamoDB Streams serve two readers per shard well), the buffer's queue one.
    const onStream = mappings.filter(([, m]) => JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn')).map(([, m]) => getAttTarget(m.Properties.FunctionName));
    expect(onStream.sort()).toEqual(['AggregatorLambdaFunction', 'ProjectorLambdaFunction']);
    const p = mappings.find(([, m]) => getAttTarget(m.Properties.FunctionName) === 'AggregatorLambdaFunction')![1].Properties;
    expect(p.EventSourceArn).toEqual({ 'Fn::GetAtt': ['MessagesTable', 'StreamArn'] });
    expect(p).toMatchObject({
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      TumblingWindowInSeconds: 60,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['AggregatorDeadLetterQueue', 'Arn'] } } },
    });
    expect(p.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(p.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(p.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(p.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
    expect(template.Resources.AggregatorDeadLetterQueue!.Type).toBe('AWS::SQS::Queue');
    expect(p.FilterCriteria.Filters.length).toBeGreaterThan(0);
  });

  it('stage params reach the template: rejected-data retention, log retention, HTTP API throttling; the access log never holds the path (eSMS token)', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const params = stageParams(stage);
    expect(params.rejectedRetentionDays).toBe(prod ? 30 : 7);
    for (const [fnId, fn] of ofType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.REJECTED_RETENTION_DAYS, fnId).toBe(String(params.rejectedRetentionDays));
    }
    const logGroups = ofType(template, 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBe(Object.keys(functions).length + 1); // + the HTTP API access log
    for (const [id, group] of logGroups) expect(group.Properties.RetentionInDays, id).toBe(params.logRetentionDays);
    const stageSettings = template.Resources.HttpApiStage!.Properties;
    // Provider routes: no stage throttle below the account quota; every read/admin/console route its own, on a route the template has.
    expect(stageSettings.DefaultRouteSettings.ThrottlingRateLimit).toBeUndefined();
    const routeKeys = new Set(ofType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey as string));
    for (const [routeKey, settings] of Object.entries(stageSettings.RouteSettings as Record<string, Json>)) {
      expect(routeKeys.has(routeKey), routeKey).toBe(true);
      expect(routeKey).toMatch(/^[A-Z]+ \/(api|console)(\/|$)/);
      expect(settings).toEqual({ ThrottlingRateLimit: params.apiThrottleRateLimit, ThrottlingBurstLimit: params.apiThrottleBurstLimit });
    }
    // The stage waits for every route its settings name.
    const routeIds = new Map(ofType(template, 'AWS::ApiGatewayV2::Route').map(([id, route]) => [route.Properties.RouteKey as string, id]));
    const dependsOn = new Set(template.Resources.HttpApiStage!.DependsOn as string[]);
    for (const routeKey of Object.keys(stageSettings.RouteSettings as Record<string, Json>)) expect(dependsOn.has(routeIds.get(routeKey)!), routeKey).toBe(true);
    expect(params.apiThrottleBurstLimit).toBeGreaterThanOrEqual(params.apiThrottleRateLimit);
    const format = stageSettings.AccessLogSettings.Format as string;
    expect(JSON.parse(format.replace(/\$context\.(status|responseLatency)\b(?!")/g, '0'))).toMatchObject({ route: '$context.routeKey', status: 0, ms: 0 });
    // The line a callback costs in CloudWatch Logs, with the longest callback route and an IPv4 caller: ≤ 150 bytes.
    const line = format.replace('$context.requestId', 'AbCdEfGhIjKlMnO=').replace('$context.routeKey', 'GET /esms/{token}/journey')
      .replace('$context.status', '200').replace('$context.responseLatency', '1234').replace('$context.integrationLatency', '1200')
      .replace('$context.integrationErrorMessage', '-').replace('$context.identity.sourceIp', '203.162.100.200');
    expect(line).not.toContain('$context');
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(150);
    expect(format).not.toMatch(/\$context\.(path|resourcePath)|rawPath|querystring/i);
    // The custom domain is optional and off by default: only a --param creates it (test/infra/resources.test.ts).
    expect(ofType(template, 'AWS::ApiGatewayV2::DomainName')).toEqual([]);
  });

  it('the dashboard body is valid JSON whose every metric is one the code emits (infra/metrics.json, namespace and dimensions), and every resource it names exists', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const { tokens, body } = dashboardOf(template);
    for (const token of tokens) {
      const [id, attribute] = token.split('.');
      if (id!.startsWith('AWS::')) continue;
      expect(template.Resources[id!], token).toBeDefined();
      if (attribute) expect(['Arn', 'QueueName'], token).toContain(attribute);
    }
    const refs = dashboardMetrics(body);
    expect(refs.flatMap(appMetricProblems)).toEqual([]);
    // Every metric of the list is on the dashboard.
    const shown = new Set(refs.filter((ref) => ref.namespace === METRIC_NAMESPACE).map((ref) => ref.name));
    expect(Object.values(METRIC_DEFINITIONS).map((metric) => metric.name).filter((name) => !shown.has(name))).toEqual([]);
    // AWS metrics name this stage's resources.
    const deployedNames = new Set(Object.keys(functions).map((fn) => `${SERVICE}-${stage}-${fn}`));
    for (const ref of refs.filter((r) => r.namespace.startsWith('AWS/'))) {
      if ('FunctionName' in ref.dimensions) expect(deployedNames.has(String(ref.dimensions.FunctionName)), ref.where).toBe(true);
      if ('ApiId' in ref.dimensions) expect(ref.dimensions.ApiId).toBe('{{HttpApi}}');
      if ('TableName' in ref.dimensions) expect(Object.keys(TABLE_DEFINITIONS).map((name) => `{{${name}Table}}`)).toContain(ref.dimensions.TableName);
    }
    const alarmWidget = (body.widgets as Json[]).find((widget) => widget.type === 'alarm');
    expect(alarmWidget?.properties.alarms.length).toBe(ofType(template, 'AWS::CloudWatch::Alarm').length);
  });

  it('alarms (5xx rate, signature failures, iterator age, DLQ depth, DynamoDB throttles, Lambda errors per function) exist, notify the SNS topic, and watch real metrics', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await packaged();
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
    const watched: MetricRef[] = [];
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(alarm.Properties.AlarmName, id).toMatch(new RegExp(`^${SERVICE}-${stage}-`));
      expect(alarm.Properties.AlarmDescription, id).toBeTruthy();
      watched.push(...alarmMetrics(id, alarm));
    }
    expect(template.Resources.AlarmTopic!.Type).toBe('AWS::SNS::Topic');
    expect(watched.flatMap(appMetricProblems)).toEqual([]);
    const watches = (namespace: string, name: string, dims: Record<string, unknown> = {}) =>
      watched.some((ref) => ref.namespace === namespace && ref.name === name && Object.entries(dims).every(([k, v]) => JSON.stringify(ref.dimensions[k]) === JSON.stringify(v)));
    expect(watches('AWS/ApiGateway', '5xx', { ApiId: { Ref: 'HttpApi' } }), '5xx').toBe(true);
    expect(watches(METRIC_NAMESPACE, METRIC_DEFINITIONS.signatureFailure.name), 'signature failures').toBe(true);
    expect(watches('AWS/Lambda', 'IteratorAge', { FunctionName: `${SERVICE}-${stage}-aggregator` }), 'iterator age').toBe(true);
    expect(watches('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: { 'Fn::GetAtt': ['AggregatorDeadLetterQueue', 'QueueName'] } }), 'DLQ').toBe(true);
    for (const table of Object.keys(TABLE_DEFINITIONS)) {
      expect(watches('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: { Ref: `${table}Table` } }), `${table} throttles`).toBe(true);
    }
    for (const fn of Object.keys(functions)) expect(watches('AWS/Lambda', 'Errors', { FunctionName: `${SERVICE}-${stage}-${fn}` }), `${fn} errors`).toBe(true);
  });
});
