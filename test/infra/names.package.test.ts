/**
 * A name two places need lives in one module, and a test ties the places together (a TTL attribute spelt
 * differently in the table and the code means nothing ever expires). Here they are defined once and agree: tables and attributes
 * (lib/table/names.ts ↔ infra/tables.json ↔ infra/resources.js), metric names and dimensions
 * (infra/metrics.json ↔ lib/ emitting code ↔ the closed sets in lib/esms/channels.ts), and secrets
 * (infra/ssm-parameters.json ↔ lib/config/settings.ts ↔ the function manifests functions/*.json ↔ docs/operations.md).
 * The packaged template is checked against the same modules in package.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { manifestModule } from '../../infra/manifests/manifests';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { SECRET_PARAMETERS } from '../../lib/config/secrets';
import { SECRET_SETTINGS } from '../../lib/config/settings';
import { EsmsRouteSchema, TYPE_ID_INFO } from '../../lib/esms/channels';
import { KEY, TABLE_DEFINITIONS, TABLES, TTL_ATTRIBUTE, ZALO_MSG_INDEX } from '../../lib/table/names';
import { DIMENSION_VALUES, DIMENSIONS, METRIC_DEFINITIONS, METRICS } from '../../lib/observability/metric-names';
import type { Json } from './json';

const require = createRequire(import.meta.url);
const manifests = manifestModule.loadManifests();
const buildResources = require('../../infra/resources.js') as (api: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<{ Resources: Record<string, Json> }>;

const libFiles = (dir = join(PROJECT_ROOT, 'lib')): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? libFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

/**
 * What lib/ really emits, read from its syntax tree (comments and look-alike names such as
 * `ESMS_METRICS.x` do not count): the METRICS keys passed to a `.count(…)` or `.gauge(…)` call, and every
 * string literal written anywhere.
 */
const scanLib = () => {
  const emitted = new Set<string>();
  const literals = new Set<string>();
  for (const file of libFiles()) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['count', 'gauge'].includes(node.expression.name.text)) {
        const [metric] = node.arguments;
        if (metric && ts.isPropertyAccessExpression(metric) && ts.isIdentifier(metric.expression) && metric.expression.text === 'METRICS') emitted.add(metric.name.text);
      }
      if (ts.isStringLiteralLike(node)) literals.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
  }
  return { emitted, literals };
};

describe('tables and attributes', () => {
  it('the code\'s table names, key attributes, GSI and TTL attribute are those infra/resources.js deploys', async () => {
    const { Resources } = await buildResources({
      resolveVariable: async (name) => ({ 'self:service': 'svc', 'sls:stage': 'sandbox' } as Record<string, unknown>)[name] ?? '1',
    });
    expect(Object.values(TABLES).sort()).toEqual(Object.keys(TABLE_DEFINITIONS).sort());
    for (const table of Object.values(TABLES)) {
      const props = Resources[`${table}Table`]!.Properties;
      expect(props.KeySchema, table).toEqual([{ AttributeName: KEY.pk, KeyType: 'HASH' }, { AttributeName: KEY.sk, KeyType: 'RANGE' }]);
    }
    expect(Resources.MessagesTable!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    // Pending Zalo requests expire by the same attribute (lib/table/registry.ts PendingItemSchema.expiresAt).
    expect(Resources.RegistryTable!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(Resources.MessagesTable!.Properties.GlobalSecondaryIndexes[0]).toMatchObject({ IndexName: ZALO_MSG_INDEX.name, KeySchema: [{ AttributeName: ZALO_MSG_INDEX.attribute, KeyType: 'HASH' }] });
  });
});

describe('metric names', () => {
  const { emitted, literals } = scanLib();

  it('every metric of infra/metrics.json is emitted by a count/gauge call in lib/, and no metric name is written as a literal', () => {
    expect(Object.keys(METRICS).filter((key) => !emitted.has(key))).toEqual([]);
    expect(Object.values(METRICS).filter((name) => literals.has(name))).toEqual([]);
  });

  it('dimension values are the code\'s closed sets: eSMS routes (+ the Zalo webhook), channel = TypeId names', () => {
    expect([...DIMENSION_VALUES.route].sort()).toEqual([...EsmsRouteSchema.options, 'zalo-webhook'].sort());
    expect([...DIMENSION_VALUES.channel].sort()).toEqual(Object.values(TYPE_ID_INFO).map((info) => info.name).sort());
    for (const [key, metric] of Object.entries(METRIC_DEFINITIONS)) {
      for (const [dimension, values] of Object.entries(metric.dimensions)) {
        expect(Object.keys(DIMENSIONS), key).toContain(dimension);
        for (const value of values ?? []) expect(DIMENSION_VALUES[dimension as keyof typeof DIMENSIONS], `${key} ${dimension}`).toContain(value);
      }
    }
  });

  it('no OA, template or other unbounded id is a metric dimension of infra/metrics.json (what CloudWatch bills)', () => {
    // Read as data, not through the typed import: the file the dashboard and alarms are built from.
    const deployed = JSON.parse(readFileSync(join(PROJECT_ROOT, 'infra', 'metrics.json'), 'utf8')) as {
      dimensions: Record<string, unknown>;
      metrics: Record<string, { dimensions: Record<string, unknown> }>;
    };
    const names = new Set([...Object.keys(deployed.dimensions), ...Object.values(deployed.metrics).flatMap((metric) => Object.keys(metric.dimensions))]);
    expect([...names].filter((name) => /oa|template|user|phone|msg|sms/i.test(name))).toEqual([]);
    // The Telemetry port only takes these names, so the code cannot emit another one.
    expect([...names].sort()).toEqual(Object.values(DIMENSIONS).sort());
  });
});

describe('secret names', () => {
  it('every secret setting has exactly one SSM parameter, and every parameter fills a secret setting', () => {
    expect(Object.values(SECRET_PARAMETERS).sort()).toEqual([...SECRET_SETTINGS].sort());
  });

  it('the function manifests grant only parameters infra/ssm-parameters.json defines', () => {
    const granted = Object.values(manifests).flatMap((m) => m.secrets ?? []);
    expect(granted.filter((name) => !(name in SECRET_PARAMETERS))).toEqual([]);
  });

  it('docs/operations.md gives the put-parameter command of every parameter, per stage', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'operations.md'), 'utf8');
    for (const name of Object.keys(SECRET_PARAMETERS)) {
      expect(doc, name).toContain(`--name "/vn-messaging-webhooks/$STAGE/${name}"`);
    }
  });
});
