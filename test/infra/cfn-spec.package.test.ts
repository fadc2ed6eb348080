/**
 * The packaged CloudFormation template of each stage, checked against AWS's published resource specification
 * (@aws-cdk/aws-service-spec) by infra/tools/cfn-spec.ts: what a deploy would reject first (unknown types and
 * properties, missing required ones, wrongly typed literals, dangling references), found offline.
 * First the checker shows it can fail, on a deliberately broken template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTemplate, type CfnSpec, formatProblem, loadCfnSpec } from '../../infra/tools/cfn-spec';
import { PACKAGE_TIMEOUT_MS, packagedTemplate } from '../support/packaged-template';

const broken = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'cfn', 'broken-template.json'), 'utf8')) as unknown;

// Packaging starts at once (shared with test/infra/package.test.ts); the spec loads meanwhile, once for the file.
const stages = { sandbox: packagedTemplate('sandbox'), prod: packagedTemplate('prod') };
let spec: CfnSpec;
beforeAll(async () => {
  spec = await loadCfnSpec();
});

describe('the specification checker', () => {
  // Every mistake of test/fixtures/cfn/broken-template.json, and nothing about its two correct resources.
  const EXPECTED = [
    'not-allowed-value Resources.Table.DeletionPolicy',
    'unknown-property Resources.Table.Properties.KeySchema[0].KeyTyp',
    'missing-required Resources.Table.Properties.KeySchema[0]',
    'unknown-property Resources.Table.Properties.StreamSpecification.StreamEnabled',
    'type-mismatch Resources.Table.Properties.TimeToLiveSpecification.Enabled',
    'unknown-property Resources.Queue.Properties.QueueNmae',
    'type-mismatch Resources.Queue.Properties.MessageRetentionPeriod',
    'missing-required Resources.Role.Properties',
    'type-mismatch Resources.Function.Properties.Layers',
    'unknown-type Resources.Topic.Type',
    'dangling-depends-on Resources.Function.DependsOn',
    'dangling-ref Resources.Function.Properties.Environment.Variables.TABLE',
    'unknown-attribute Resources.Function.Properties.Environment.Variables.QUEUE_NAME',
    'dangling-ref Resources.Function.Properties.Environment.Variables.QUEUE',
    'dangling-ref Outputs.TableName.Value',
  ];

  it('reports each mistake of a broken template, where it is, and nothing else', () => {
    const problems = checkTemplate(broken, spec);
    expect(problems.map((problem) => `${problem.kind} ${problem.path}`).sort()).toEqual([...EXPECTED].sort());
    const text = problems.map(formatProblem).join('\n');
    expect(text).toContain('AWS::SQS::Queue has no property QueueNmae');
    expect(text).toContain('KeySchema requires KeyType');
    expect(text).toContain('AWS::IAM::Role requires AssumeRolePolicyDocument');
    expect(text).toContain('expected boolean, found string "yes"');
    expect(text).toContain('expected list of string, found string');
    expect(text).toContain('AWS::SNS::Topik is no resource type');
    expect(text).toContain('DependsOn "MissingResource"');
    expect(text).toContain('Ref to Tabel');
    expect(text).toContain('Ref to Nowhere'); // a Fn::Sub variable
    expect(text).toContain('has no attribute QueueNam');
  });

  it('accepts the scalar conversions CloudFormation makes, unless asked to be strict', () => {
    const strict = checkTemplate(broken, spec, { strictScalars: true });
    const added = strict.filter((problem) => !EXPECTED.includes(`${problem.kind} ${problem.path}`));
    expect(added.map(formatProblem)).toEqual([
      'Resources.Function.Properties.Environment.Variables.RETRIES: expected string, found number 3 [type-mismatch]',
    ]);
  });

  it('takes an intrinsic function as present and of any type, and checks a union by the shape of the literal', () => {
    const template = {
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            KeySchema: { 'Fn::If': ['Never', [{ AttributeName: 'pk', KeyType: 'HASH' }], { Ref: 'AWS::NoValue' }] },
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: { 'Fn::Select': [0, ['S']] } }],
            BillingMode: { 'Fn::Sub': 'PAY_PER_REQUEST' },
          },
        },
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' } },
        Other: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } },
      },
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
    };
    expect(checkTemplate(template, spec).map(formatProblem)).toEqual([]);
    const withoutCondition = { ...template, Conditions: {} };
    expect(checkTemplate(withoutCondition, spec).map((problem) => problem.kind)).toEqual(['dangling-condition']);
  });
});

describe.each(Object.keys(stages) as Array<keyof typeof stages>)('sls package --stage %s', (stage) => {
  it('the packaged template has no problem the CloudFormation specification can see', { timeout: PACKAGE_TIMEOUT_MS }, async () => {
    const { template } = await stages[stage];
    expect(Object.keys(template.Resources).length).toBeGreaterThan(100);
    expect(checkTemplate(template, spec, { strictScalars: true }).map(formatProblem)).toEqual([]);
  });
});
