// Loaded by serverless.yml (`${file(./infra/resources.js)}`): the tables from infra/tables.json and one
// least-privilege IAM role per function, built from that function's manifest (functions/<file>.json,
// the same manifests serverless.yml's `functions:` comes from). Plain CommonJS because osls loads it.
const tables = require('./tables.json');
const queues = require('./queues.json');
const { loadManifests, queueLogicalId, roleLogicalId, roleStatements, tableLogicalId } = require('./manifests');
const { observabilityResources } = require('./observability');
// osls's own naming of the routes it generates (the stage's route settings name them).
const naming = require('osls/lib/plugins/aws/lib/naming.js');

const functionName = (service, stage, fn) => `${service}-${stage}-${fn}`;

/**
 * A table of infra/tables.json (written for the DynamoDB API's CreateTable, which the local stack calls) as
 * CloudFormation's AWS::DynamoDB::Table wants it: its StreamSpecification has no StreamEnabled (the block
 * itself enables the stream) and rejects the key (test/infra/cfn-spec.test.ts).
 */
const cfnTable = ({ StreamSpecification: stream, ...definition }) => ({
  ...definition,
  ...(stream?.StreamEnabled ? { StreamSpecification: { StreamViewType: stream.StreamViewType } } : {}),
});

module.exports = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const prod = stage === 'prod';
  const Resources = {};
  // Pre-warmed on-demand capacity of the messages table (docs/capacity.md): a new table serves 4,000 WRU/s and
  // 12,000 RRU/s until it has seen more; a campaign on a fresh stage must not wait for it to learn.
  const warmWrites = Number(await resolveVariable('param:messagesWarmWriteUnits')) || 0;
  const warmReads = Number(await resolveVariable('param:messagesWarmReadUnits')) || 0;
  for (const [name, definition] of Object.entries(tables)) {
    Resources[tableLogicalId(name)] = {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: prod ? 'Retain' : 'Delete',
      UpdateReplacePolicy: prod ? 'Retain' : 'Delete',
      Properties: {
        ...cfnTable(definition),
        TableName: `${service}-${stage}-${name.toLowerCase()}`,
        DeletionProtectionEnabled: prod,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: prod },
        ...(name === 'Messages' || name === 'Registry' ? { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } } : {}),
        ...(name === 'Messages' && warmWrites > 0 ? { WarmThroughput: { WriteUnitsPerSecond: warmWrites, ReadUnitsPerSecond: Math.max(12_000, warmReads) } } : {}),
      },
    };
  }
  for (const [name, queue] of Object.entries(queues).filter(([key]) => !key.startsWith('$'))) {
    Resources[queueLogicalId(name)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `${service}-${stage}-${queue.name}`,
        ...Object.fromEntries(Object.entries(queue.attributes).map(([key, value]) => [key, Number(value)])),
        ...(queue.redrive ? { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueLogicalId(queue.redrive.to), 'Arn'] }, maxReceiveCount: queue.redrive.maxReceiveCount } } : {}),
        SqsManagedSseEnabled: true,
      },
    };
  }
  const manifests = loadManifests();
  for (const [fn, manifest] of Object.entries(manifests)) {
    Resources[roleLogicalId(fn)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{
          PolicyName: `${fn}-least-privilege`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName(service, stage, fn)}:*` },
              },
              ...roleStatements(manifest, { service, stage }),
            ],
          },
        }],
      },
    };
  }
  const param = async (name) => String((await resolveVariable(`param:${name}`)) ?? '').trim();
  Object.assign(Resources, observabilityResources({
    service, stage,
    functions: Object.keys(manifests),
    tables: Object.keys(tables),
    alarmEmail: await param('alarmEmail'),
  }));
  const Outputs = {};
  // Optional custom domain (empty param: none). DNS stays with whoever hosts the zone: point a CNAME at
  // the CustomDomainTarget output. The certificate must be an ACM certificate in the stage's region.
  const domain = await param('customDomain');
  if (domain) {
    const certificateArn = await param('certificateArn');
    if (!certificateArn) throw new Error(`customDomain ${domain} needs the certificateArn param (an ACM certificate in the stage's region)`);
    Resources.CustomDomain = {
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: { DomainName: domain, DomainNameConfigurations: [{ CertificateArn: certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }] },
    };
    Resources.CustomDomainMapping = {
      Type: 'AWS::ApiGatewayV2::ApiMapping',
      DependsOn: ['HttpApiStage'],
      Properties: { ApiId: { Ref: 'HttpApi' }, DomainName: { Ref: 'CustomDomain' }, Stage: '$default' },
    };
    Outputs.CustomDomainUrl = { Description: 'Base URL partners register', Value: `https://${domain}` };
    Outputs.CustomDomainTarget = { Description: 'CNAME target of the custom domain', Value: { 'Fn::GetAtt': ['CustomDomain', 'RegionalDomainName'] } };
  }
  Outputs.DashboardUrl = {
    Description: 'CloudWatch dashboard',
    Value: { 'Fn::Sub': `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards:name=${service}-${stage}` },
  };
  // Fairness (docs/capacity.md): the providers' routes (/esms/…, /zalo/…, GET /) get no stage throttle below the
  // account's API Gateway quota — a 429 to eSMS is a lost callback, and a shared bucket would let one tenant's
  // campaign or a flood of unknown tokens refuse every tenant's callbacks. The read, admin and console routes
  // (people and partners' pollers, who retry a 429) are throttled per route. osls's provider.httpApi has no
  // throttling setting: it is set on the stage osls generates, after the routes it names exist.
  const apiRateLimit = Number(await param('apiThrottleRateLimit'));
  const apiBurstLimit = Number(await param('apiThrottleBurstLimit'));
  const readRoutes = Object.values(manifests).map((manifest) => manifest.trigger.httpApi)
    .filter((route) => route && /^\/(api|console)(\/|$)/.test(route.path))
    .map((route) => `${route.method.toUpperCase()} ${route.path}`);
  const extensions = {
    HttpApiStage: {
      DependsOn: readRoutes.map((routeKey) => naming.getHttpApiRouteLogicalId(routeKey)),
      Properties: {
        DefaultRouteSettings: { DetailedMetricsEnabled: false },
        RouteSettings: Object.fromEntries(readRoutes.map((routeKey) => [routeKey, { ThrottlingRateLimit: apiRateLimit, ThrottlingBurstLimit: apiBurstLimit }])),
      },
    },
  };
  // Lambda's own START/END/REPORT lines are ~300 bytes per invocation, more than everything the functions
  // print per callback: JSON logs with system logs at WARN keep them out (duration and memory stay in the
  // AWS/Lambda metrics); application lines keep Powertools' levels.
  for (const fn of Object.keys(manifests)) {
    extensions[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`] = {
      Properties: { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' } },
    };
  }
  return { Resources, Outputs, extensions };
};
