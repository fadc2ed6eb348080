/**
 * infra/resources.js called directly (as osls calls it) with stubbed variables, for the branches one
 * `sls package` per stage cannot show: the optional custom domain and the alarm e-mail. Fast: no packaging.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Json } from './json';

type Build = (api: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<{ Resources: Record<string, Json>; Outputs: Record<string, Json>; extensions: Json }>;

const require = createRequire(import.meta.url);
const build = require('../../infra/resources.js') as Build;

const DEFAULTS: Record<string, unknown> = {
  'self:service': 'vn-messaging-webhooks',
  'sls:stage': 'sandbox',
  'param:customDomain': '',
  'param:certificateArn': '',
  'param:alarmEmail': '',
  'param:apiThrottleRateLimit': 100,
  'param:apiThrottleBurstLimit': 200,
  'param:messagesWarmWriteUnits': '',
  'param:messagesWarmReadUnits': '',
};

const run = (overrides: Record<string, unknown> = {}) =>
  build({
    resolveVariable: async (name) => {
      const all = { ...DEFAULTS, ...overrides };
      if (!(name in all)) throw new Error(`unexpected variable ${name}`);
      return all[name];
    },
  });

describe('infra/resources.js', () => {
  it('creates no custom domain and no e-mail subscription when their params are empty', async () => {
    const { Resources, Outputs } = await run();
    expect(Object.values(Resources).filter((r) => /DomainName|ApiMapping|Subscription/.test(r.Type))).toEqual([]);
    expect(Outputs.CustomDomainUrl).toBeUndefined();
  });

  it.each([
    ['sandbox', 'api-sandbox.etelecom.vn'],
    ['prod', 'api.etelecom.vn'],
  ])('%s with customDomain=%s: a regional TLS 1.2 domain with the ACM certificate, mapped to the HTTP API $default stage', async (stage, domain) => {
    const certificateArn = 'arn:aws:acm:ap-southeast-1:123456789012:certificate/abc';
    const { Resources, Outputs } = await run({ 'sls:stage': stage, 'param:customDomain': domain, 'param:certificateArn': certificateArn });
    expect(Resources.CustomDomain).toEqual({
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: { DomainName: domain, DomainNameConfigurations: [{ CertificateArn: certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }] },
    });
    expect(Resources.CustomDomainMapping).toMatchObject({
      Type: 'AWS::ApiGatewayV2::ApiMapping',
      DependsOn: ['HttpApiStage'],
      Properties: { ApiId: { Ref: 'HttpApi' }, DomainName: { Ref: 'CustomDomain' }, Stage: '$default' },
    });
    expect(Outputs.CustomDomainUrl!.Value).toBe(`https://${domain}`);
    expect(Outputs.CustomDomainTarget!.Value).toEqual({ 'Fn::GetAtt': ['CustomDomain', 'RegionalDomainName'] });
  });

  it('refuses a custom domain without its certificate', async () => {
    await expect(run({ 'param:customDomain': 'api.etelecom.vn' })).rejects.toThrow(/certificateArn/);
  });

  it('subscribes the alarm e-mail to the alarm topic when given', async () => {
    const { Resources } = await run({ 'param:alarmEmail': 'ops@example.com' });
    expect(Resources.AlarmEmailSubscription).toEqual({
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
    });
  });

  it('pre-warms the messages table only when the stage asks (WarmThroughput, reads at least DynamoDB\'s 12,000 floor)', async () => {
    expect((await run()).Resources.MessagesTable!.Properties.WarmThroughput).toBeUndefined();
    const { Resources } = await run({ 'param:messagesWarmWriteUnits': '40000', 'param:messagesWarmReadUnits': '' });
    expect(Resources.MessagesTable!.Properties.WarmThroughput).toEqual({ WriteUnitsPerSecond: 40_000, ReadUnitsPerSecond: 12_000 });
    expect(Resources.CountersTable!.Properties.WarmThroughput).toBeUndefined();
  });

  it('throttles each read, admin and console route on the stage osls generates, and no provider route (a 429 to eSMS is a lost callback)', async () => {
    const { extensions } = await run({ 'param:apiThrottleRateLimit': '1000', 'param:apiThrottleBurstLimit': '2000' });
    const stage = extensions.HttpApiStage;
    expect(stage.Properties.DefaultRouteSettings).toEqual({ DetailedMetricsEnabled: false });
    const routes = Object.keys(stage.Properties.RouteSettings as Record<string, unknown>);
    expect(routes).toContain('GET /api/reports/daily');
    expect(routes).toContain('GET /console');
    expect(routes.filter((route) => !/^[A-Z]+ \/(api|console)(\/|$)/.test(route))).toEqual([]);
    expect(stage.Properties.RouteSettings['GET /api/reports/daily']).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
    // The stage names routes osls creates: it waits for them.
    expect(stage.DependsOn).toContain('HttpApiRouteGetApiReportsDaily');
    expect(stage.DependsOn).toHaveLength(routes.length);
  });
});
