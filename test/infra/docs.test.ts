/**
 * Docs that cannot drift: the README and docs/ against what is deployed and emitted. (a) every route of the
 * function manifests is in the README's route tables and docs/openapi.json, and nothing else is; (b) every
 * setting the code reads (lib/, infra/local) is in the README's settings table, saying whether and how a
 * deployed stage sets it, and that claim is true of serverless.yml, the manifests and SSM; (c) every metric
 * name docs mention is one infra/metrics.json defines; (d) the figures the README states come from its
 * Figures table (code-defined ones from the code), and every restatement, here or in docs/, agrees; (e)
 * docs/operations.md names for each SSM parameter exactly the functions that read it. Each check is shown
 * failing on test/fixtures/docs/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestModule } from '../../infra/manifests/manifests';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { MAX_CALLBACK_QUERY_BYTES } from '../../lib/table/esms';
import { TABLE_ENV } from '../../lib/table/names';
import { MAX_REJECTED_RAW_BYTES } from '../../lib/table/rejected';
import {
  figureProblems, figuresTable, manifestRoutes, metricProblems, codeVocabulary, numberOf, openApiRoutes, routeProblems, settingProblems,
  settingsRead, settingsTable, sourceFiles, tablesOf, type Figure, type StageSources,
} from './docs-checks';

const read = (...path: string[]) => readFileSync(join(PROJECT_ROOT, ...path), 'utf8');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'docs');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const readme = read('README.md');
const docs = [{ file: 'README.md', text: readme }, ...readdirSync(join(PROJECT_ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => ({ file: `docs/${file}`, text: read('docs', file) }))];
const FUNCTIONS = join(PROJECT_ROOT, 'functions');

describe('(a) routes', () => {
  const deployed = manifestRoutes(FUNCTIONS);
  const openApi = openApiRoutes(JSON.parse(read('docs', 'openapi.json')) as { paths: Record<string, Record<string, unknown>> });

  it('every route of functions/*.json is in a README route table and in docs/openapi.json; every README route is deployed', () => {
    expect(deployed.length).toBeGreaterThan(30);
    expect(routeProblems(deployed, readme, openApi)).toEqual([]);
  });

  it('fails on a fixture: a manifest whose route no README table and no OpenAPI path names', () => {
    expect(routeProblems([...deployed, ...manifestRoutes(join(FIXTURES, 'functions'))], readme, openApi)).toEqual([
      'GET /api/secret-report is deployed but in no README route table',
      'GET /api/secret-report is deployed but not in docs/openapi.json',
    ]);
  });
});

describe('(b) settings', () => {
  const aliases = Object.fromEntries(Object.entries(TABLE_ENV).map(([key, name]) => [`TABLE_ENV.${key}`, name]));
  const sources = [...sourceFiles(join(PROJECT_ROOT, 'lib')), ...sourceFiles(join(PROJECT_ROOT, 'infra', 'local'))].map((file) => readFileSync(file, 'utf8'));
  // The local stack's defaults are settings it supplies (Powertools and the SDK read some of them themselves).
  const localDefaults = [.../export const LOCAL_DEFAULTS = \{([\s\S]*?)\n\}/.exec(read('infra', 'local', 'defaults.ts'))![1]!.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map(([, name]) => name!);
  const settingsReadByCode = new Set([...sources.flatMap((source) => [...settingsRead(source, aliases)]), ...localDefaults]);
  const serverless = parse(read('serverless.yml')) as { params: Record<string, Record<string, unknown>>; provider: { environment: Record<string, string> } };
  const stage: StageSources = {
    // The functions' entries as serverless.yml gets them: their settings' environment and their queues' URLs.
    environment: [...Object.entries(serverless.provider.environment), ...Object.values(manifestModule.functionEntries()).flatMap((entry) => Object.entries(entry.environment ?? {}))]
      .map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as const)
      .reduce((all, [name, value]) => all.set(name, [...(all.get(name) ?? []), value]), new Map<string, string[]>()),
    params: new Set(Object.values(serverless.params).flatMap((params) => Object.keys(params))),
    ssm: Object.fromEntries(Object.entries(JSON.parse(read('infra', 'ssm-parameters.json')) as Record<string, { setting?: string }>).flatMap(([name, spec]) => (spec.setting ? [[name, spec.setting]] : []))),
  };

  it('reads the settings of lib/config/settings.ts and the rest of lib/ and infra/local (the scan finds them)', () => {
    expect([...settingsReadByCode]).toEqual(expect.arrayContaining(['MESSAGES_TABLE', 'REGISTRY_TABLE', 'ZALO_TOKEN_KEY', 'METRICS_FLUSH_INTERVAL_MS', 'AWS_SESSION_TOKEN', 'DATA_DIR', 'POWERTOOLS_LOG_LEVEL']));
  });

  it('every setting read is in the README settings table, whose "on a stage" column is true of serverless.yml, the manifests and SSM', () => {
    expect(settingProblems(settingsReadByCode, settingsTable(readme), stage)).toEqual([]);
  });

  it('fails on a fixture: a setting read but not documented, one a stage cannot set as claimed, one that says no where a stage does', () => {
    const fixtureRead = settingsRead(fixture('reads-settings.ts.txt'), aliases);
    const fixtureStage: StageSources = { environment: new Map([['STAGE_SETS_IT', ['x']], ['MAPPED_ELSEWHERE', ['fixed']]]), params: new Set(['mapped']), ssm: { 'api-keys': 'API_KEYS' } };
    expect(settingProblems(fixtureRead, settingsTable(fixture('README.md')), fixtureStage)).toEqual([
      'UNDOCUMENTED_SETTING is read by the code but not in the README\'s settings table',
      'NO_SUCH_PARAM: says param noSuchParam, which serverless.yml does not define',
      'MAPPED_ELSEWHERE: no environment maps param mapped to it',
      'STAGE_SETS_IT: says a stage cannot set it, but one does',
      'WRONG_SSM: says SSM api-keys, which does not fill it (infra/ssm-parameters.json)',
    ]);
  });
});

describe('(c) metric names in docs', () => {
  const metricNames = Object.values((JSON.parse(read('infra', 'metrics.json')) as { metrics: Record<string, { name: string }> }).metrics).map((metric) => metric.name);
  const vocabulary = codeVocabulary(['lib', 'infra', 'console/src'].flatMap((dir) => sourceFiles(join(PROJECT_ROOT, dir))).map((file) => readFileSync(file, 'utf8')));

  it('every metric name the README and docs/*.md mention exists in infra/metrics.json', () => {
    expect(metricProblems(docs, metricNames, vocabulary)).toEqual([]);
  });

  it('fails on a fixture: a dashboard list naming metrics that do not exist, one of them abbreviated', () => {
    expect(metricProblems([{ file: 'fixture', text: fixture('README.md') }], metricNames, vocabulary)).toEqual([
      'fixture names metric ZaloEventRejected, which infra/metrics.json does not define',
      'fixture names metric ZaloEventUnknown, which infra/metrics.json does not define',
    ]);
  });
});

describe('(d) figures', () => {
  /** How prose states each figure of the README's Figures table; the first group is the number. */
  const FIGURES: Figure[] = [
    { name: 'write units per accepted callback', pattern: /(\d+(?:\.\d+)?)\**\s+write units per accepted callback(?!\s+in all)/ },
    { name: 'write units per accepted callback, in all', pattern: /(\d+\.\d+) (?:write units per accepted callback )?in all/ },
    { name: 'longest eSMS callback query', pattern: /quer(?:y|ies)[^.\n]{0,30}?(?:over|above|longer than) ([\d,]+) ?(?:bytes|B|KB|KiB)\b/ },
    { name: 'raw request kept', pattern: /(?:kept|keeps?) \(?(?:up to|the first) (\d+) KiB/ },
    { name: 'largest item on the realistic mix', pattern: /largest item\s+(\d+(?:\.\d+)?) KB/ },
    { name: 'counter writes per accepted callback', pattern: /(\d+\.\d+) counter writes per callback/ },
  ];
  /** Figures the code defines: the table must say what the code does. */
  const DEFINED: Record<string, number> = {
    'longest eSMS callback query': MAX_CALLBACK_QUERY_BYTES,
    'raw request kept': MAX_REJECTED_RAW_BYTES.esms / 1024,
  };
  const values = figuresTable(readme);

  it('the Figures table holds every figure, and the code-defined ones are the code\'s', () => {
    expect([...values.keys()]).toEqual(expect.arrayContaining(FIGURES.map((figure) => figure.name)));
    for (const [name, defined] of Object.entries(DEFINED)) expect(numberOf(values.get(name)!)!.replace(/,/g, ''), name).toBe(String(defined));
  });

  it('every statement of a figure in the README, and of a code-defined one in docs/*.md, is the Figures table\'s', () => {
    const defined = FIGURES.filter((figure) => figure.name in DEFINED);
    expect(docs.flatMap(({ file, text }) => figureProblems(file, text, file === 'README.md' ? FIGURES : defined, values))).toEqual([]);
  });

  it('fails on a fixture: a README restating the write units and the query limit with other values', () => {
    expect(figureProblems('fixture', fixture('README.md'), FIGURES, values)).toEqual([
      'fixture says 1.17 where the Figures table says 1.16 ("1.17 write units per accepted callback")',
      'fixture says 8 where the Figures table says 3,700 bytes ("query strings, refused above 8 KB")',
    ]);
  });
});

// The SSM parameter → functions list of docs/operations.md has its own check: test/infra/operations-doc.test.ts.

describe('the docs checks read markdown tables as written', () => {
  it('a table is its header and rows, pipes inside code escaped', () => {
    expect(tablesOf('intro\n\n| a | b |\n| --- | --- |\n| `x \\| y` | 2 |\n\nafter')).toEqual([{ header: ['a', 'b'], rows: [['`x \\| y`', '2']] }]);
  });
});
