/**
 * Names two places need (style.md habit 8) are defined once and agree: tables and attributes
 * (lib/names.ts ↔ infra/tables.json ↔ infra/resources.js), metric names and dimensions
 * (infra/metrics.json ↔ lib/ emitting code ↔ the closed sets in lib/esms/channels.ts), and secrets
 * (infra/ssm-parameters.json ↔ lib/config/settings.ts ↔ infra/permissions.json ↔ docs/operations.md).
 * The packaged template is checked against the same modules in package.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import permissions from '../../infra/permissions.json';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { SECRET_PARAMETERS } from '../../lib/config/secrets';
import { SECRET_SETTINGS } from '../../lib/config/settings';
import { EsmsRouteSchema, TYPE_ID_INFO } from '../../lib/esms/channels';
import { KEY, TABLE_DEFINITIONS, TABLES, TTL_ATTRIBUTE, ZALO_MSG_INDEX } from '../../lib/table/names';
import { DIMENSION_VALUES, DIMENSIONS, METRIC_DEFINITIONS, METRICS } from '../../lib/observability/metric-names';

type Json = Record<string, any>; // CloudFormation is untyped JSON
const require = createRequire(import.meta.url);
const buildResources = require('../../infra/resources.js') as (api: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<{ Resources: Record<string, Json> }>;

const libSources = (dir = join(PROJECT_ROOT, 'lib')): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? libSources(path) : path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });

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
    expect(Resources.MessagesTable!.Properties.GlobalSecondaryIndexes[0]).toMatchObject({ IndexName: ZALO_MSG_INDEX.name, KeySchema: [{ AttributeName: ZALO_MSG_INDEX.attribute, KeyType: 'HASH' }] });
  });
});

describe('metric names', () => {
  const sources = libSources().join('\n');

  it('every metric of infra/metrics.json is emitted somewhere in lib/ (METRICS.<key>), and no metric name is written as a literal', () => {
    const unused = Object.keys(METRICS).filter((key) => !new RegExp(`METRICS\\.${key}\\b`).test(sources));
    expect(unused).toEqual([]);
    const literals = Object.values(METRICS).filter((name) => new RegExp(`['"\`]${name}['"\`]`).test(sources));
    expect(literals).toEqual([]);
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

  it('no OA, template or other unbounded id is a metric dimension', () => {
    expect(Object.keys(DIMENSIONS).filter((name) => /oa|template|user|phone|msg|sms/i.test(name))).toEqual([]);
  });
});

describe('secret names', () => {
  it('every secret setting has exactly one SSM parameter, and every parameter fills a secret setting', () => {
    expect(Object.values(SECRET_PARAMETERS).sort()).toEqual([...SECRET_SETTINGS].sort());
  });

  it('infra/permissions.json grants only parameters infra/ssm-parameters.json defines', () => {
    const granted = Object.entries(permissions).filter(([fn]) => !fn.startsWith('$'))
      .flatMap(([, spec]) => ((spec as { parameters?: string[] }).parameters ?? []));
    expect(granted.filter((name) => !(name in SECRET_PARAMETERS))).toEqual([]);
  });

  it('docs/operations.md gives the put-parameter command of every parameter, per stage', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'operations.md'), 'utf8');
    for (const name of Object.keys(SECRET_PARAMETERS)) {
      expect(doc, name).toContain(`--name "/vn-messaging-webhooks/$STAGE/${name}"`);
    }
  });
});
