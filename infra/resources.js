// Loaded by serverless.yml (`${file(./infra/resources.js)}`): the tables from infra/tables.json and one
// least-privilege IAM role per function from infra/permissions.json. Plain CommonJS because osls loads it.
const tables = require('./tables.json');
const permissions = require('./permissions.json');

const tableLogicalId = (name) => `${name}Table`;
const roleLogicalId = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}Role`;
const functionName = (service, stage, fn) => `${service}-${stage}-${fn}`;

const tableArn = (name) => ({ 'Fn::GetAtt': [tableLogicalId(name), 'Arn'] });
const indexArn = (name, index) => ({ 'Fn::Join': ['', [tableArn(name), `/index/${index}`]] });

const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

const specialStatements = (spec) => [
  ...(spec.streamOf ? [{ Effect: 'Allow', Action: STREAM_READ, Resource: [{ 'Fn::GetAtt': [tableLogicalId(spec.streamOf), 'StreamArn'] }] }] : []),
  ...Object.entries(spec.queues ?? {}).map(([queue, actions]) => ({ Effect: 'Allow', Action: actions, Resource: [{ 'Fn::GetAtt': [queue, 'Arn'] }] })),
  ...Object.entries(spec.indexes ?? {}).map(([table, indexes]) => ({
    Effect: 'Allow', Action: ['dynamodb:Query'], Resource: indexes.map((index) => indexArn(table, index)),
  })),
  ...(spec.statements ?? []),
];

const SPECIAL_KEYS = new Set(['streamOf', 'queues', 'statements', 'indexes']);

const statementsFor = (fn) =>
  Object.entries(permissions[fn])
    .filter(([key]) => !SPECIAL_KEYS.has(key))
    .map(([table, actions]) => ({
      Effect: 'Allow',
      Action: actions,
      Resource: [tableArn(table)],
    }))
    .concat(specialStatements(permissions[fn]));

module.exports = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const prod = stage === 'prod';
  const Resources = {};
  for (const [name, definition] of Object.entries(tables)) {
    Resources[tableLogicalId(name)] = {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: prod ? 'Retain' : 'Delete',
      UpdateReplacePolicy: prod ? 'Retain' : 'Delete',
      Properties: {
        ...definition,
        TableName: `${service}-${stage}-${name.toLowerCase()}`,
        DeletionProtectionEnabled: prod,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: prod },
        ...(name === 'Messages' ? { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } } : {}),
      },
    };
  }
  Resources.AggregatorDeadLetterQueue = {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: `${service}-${stage}-aggregator-dlq`,
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    },
  };
  for (const fn of Object.keys(permissions).filter((key) => !key.startsWith('$'))) {
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
              ...statementsFor(fn),
            ],
          },
        }],
      },
    };
  }
  return { Resources };
};
