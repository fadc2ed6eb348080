/**
 * The checks of docs.test.ts as plain functions over text, so each runs on the repository and on a fixture
 * (test/fixtures/docs/) that must fail it. Each answers the problems it found, as sentences; none means the
 * docs agree with the code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface MarkdownTable { header: string[]; rows: string[][] }

const cells = (line: string): string[] => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim());

/** Every table of a markdown text (a header row, a `---` row, then rows), optionally only those under `## <section>`. */
export const tablesOf = (markdown: string, section?: string): MarkdownTable[] => {
  let text = markdown;
  if (section !== undefined) {
    const start = markdown.indexOf(`\n## ${section}\n`);
    if (start === -1) return [];
    const end = markdown.indexOf('\n## ', start + 4);
    text = markdown.slice(start, end === -1 ? undefined : end);
  }
  const tables: MarkdownTable[] = [];
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 1) {
    if (!lines[i]!.trim().startsWith('|') || !/^\|?\s*:?-{3,}/.test(lines[i + 1]!.trim())) continue;
    const table: MarkdownTable = { header: cells(lines[i]!), rows: [] };
    for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i += 1) table.rows.push(cells(lines[i]!));
    tables.push(table);
  }
  return tables;
};

const METHOD_PATH = /`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?[]*)/g;

// ---- (a) routes -------------------------------------------------------------------------------------------

/** `METHOD /path` of every HTTP trigger in a folder of function manifests. */
export const manifestRoutes = (dir: string): string[] =>
  readdirSync(dir).filter((file) => file.endsWith('.json')).flatMap((file) => {
    const { trigger } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { trigger: { httpApi?: { method: string; path: string } } };
    return trigger.httpApi ? [`${trigger.httpApi.method.toUpperCase()} ${trigger.httpApi.path}`] : [];
  });

/** The routes a markdown text's tables name in their first column (`GET /api/x?limit=` counts as `GET /api/x`). */
export const tableRoutes = (markdown: string): Set<string> =>
  new Set(tablesOf(markdown).flatMap((table) => table.rows.flatMap((row) => [...(row[0] ?? '').matchAll(METHOD_PATH)].map(([, method, path]) => `${method} ${path}`))));

export const openApiRoutes = (document: { paths: Record<string, Record<string, unknown>> }): Set<string> =>
  new Set(Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));

/** Routes deployed but missing from the README's tables or the OpenAPI document, and README routes nothing deploys. */
export const routeProblems = (deployed: readonly string[], readme: string, openApi: Set<string>): string[] => {
  const documented = tableRoutes(readme);
  return [
    ...deployed.filter((route) => !documented.has(route)).map((route) => `${route} is deployed but in no README route table`),
    ...deployed.filter((route) => !openApi.has(route)).map((route) => `${route} is deployed but not in docs/openapi.json`),
    ...[...documented].filter((route) => !deployed.includes(route)).map((route) => `${route} is in a README route table but no function serves it`),
  ];
};

// ---- (b) settings -----------------------------------------------------------------------------------------

export const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

/**
 * The environment variables a source text reads: `process.env.X`, `env.X`, `env[TABLE_ENV.x]`,
 * `required(TABLE_ENV.x)`, `{ X: … } = env`. `aliases` maps such constants to the names they hold.
 */
export const settingsRead = (source: string, aliases: Readonly<Record<string, string>> = {}): Set<string> => {
  const names = new Set<string>();
  for (const [, name] of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) names.add(name!);
  for (const [, alias] of source.matchAll(/\benv\[([A-Za-z_.]+)\]/g)) if (aliases[alias!]) names.add(aliases[alias!]!);
  for (const [, alias] of source.matchAll(/\brequired\(([A-Za-z_.]+)\)/g)) if (aliases[alias!]) names.add(aliases[alias!]!);
  for (const [, fields] of source.matchAll(/\{([^{}]*)\}\s*=\s*(?:process\.)?env\b/g)) {
    for (const [, name] of fields!.matchAll(/\b([A-Z][A-Z0-9_]+)\s*:/g)) names.add(name!);
  }
  return names;
};

/** What can give a setting its value on a deployed stage: serverless.yml's environment and params, the manifests' environments, SSM. */
export interface StageSources {
  /** Setting → its values in serverless.yml `provider.environment` and the function manifests' `settings.environment`. */
  environment: ReadonlyMap<string, readonly string[]>;
  /** Names under serverless.yml `params` (any stage). */
  params: ReadonlySet<string>;
  /** SSM parameter → the setting it fills (infra/ssm-parameters.json). */
  ssm: Readonly<Record<string, string>>;
}

const STAGE_COLUMN = 'on a stage';

/** The settings table (`## Settings`): setting → the text of its "on a stage" column. */
export const settingsTable = (readme: string): Map<string, string> => {
  const documented = new Map<string, string>();
  for (const table of tablesOf(readme, 'Settings')) {
    const column = table.header.indexOf(STAGE_COLUMN);
    if (column === -1) continue;
    for (const row of table.rows) for (const [, name] of (row[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)) documented.set(name!, row[column] ?? '');
  }
  return documented;
};

/**
 * Every setting read must be documented with how a stage sets it, and the claim must hold: `SSM <parameter>`
 * (that parameter fills it), `param <name>` (a serverless.yml param, mapped to it), `serverless.yml` (a fixed
 * value there), `Lambda` (the runtime sets it: AWS_* only) or `no`. A setting a stage does set must not say `no`.
 */
export const settingProblems = (read: ReadonlySet<string>, documented: ReadonlyMap<string, string>, stage: StageSources): string[] => {
  const problems = [...read].filter((name) => !documented.has(name)).map((name) => `${name} is read by the code but not in the README's settings table`);
  const settable = new Set([...stage.environment.keys(), ...Object.values(stage.ssm)]);
  for (const [name, claim] of documented) {
    if (!read.has(name)) problems.push(`${name} is documented but nothing reads it`);
    const ssm = /^SSM `([a-z0-9-]+)`/.exec(claim);
    const param = /^param `(\w+)`/.exec(claim);
    if (ssm) {
      if (stage.ssm[ssm[1]!] !== name) problems.push(`${name}: says SSM ${ssm[1]}, which does not fill it (infra/ssm-parameters.json)`);
    } else if (param) {
      if (!stage.params.has(param[1]!)) problems.push(`${name}: says param ${param[1]}, which serverless.yml does not define`);
      else if (!(stage.environment.get(name) ?? []).some((value) => new RegExp(`\\$\\{param:${param[1]}(?:,[^}]*)?\\}`).test(value))) problems.push(`${name}: no environment maps param ${param[1]} to it`);
    } else if (/^serverless\.yml\b/.test(claim)) {
      if (!stage.environment.has(name)) problems.push(`${name}: says serverless.yml, which does not set it`);
    } else if (/^Lambda\b/.test(claim)) {
      if (!name.startsWith('AWS_')) problems.push(`${name}: says the Lambda runtime sets it, which it does only for AWS_* variables`);
    } else if (/^no\b/.test(claim)) {
      if (settable.has(name)) problems.push(`${name}: says a stage cannot set it, but one does`);
    } else {
      problems.push(`${name}: "${claim}" does not say whether a stage can set it (SSM …, param …, serverless.yml, Lambda or no)`);
    }
  }
  return problems;
};

// ---- (c) metric names -------------------------------------------------------------------------------------

/**
 * Metric-like names in a text: a PascalCase word starting like a real metric (its first word), with
 * `ZaloEventAccepted/Duplicate` read as `ZaloEventAccepted` and `ZaloEventDuplicate`.
 */
export const metricMentions = (text: string, metricNames: readonly string[]): Set<string> => {
  const firstWords = [...new Set(metricNames.map((name) => /^[A-Z][a-z]+/.exec(name)![0]))];
  const pattern = new RegExp(`\\b((?:${firstWords.join('|')})(?:[A-Z][a-z]+)+)((?:/[A-Z][a-z]+(?![A-Za-z]))*)`, 'g');
  const mentions = new Set<string>();
  for (const [, name, more] of text.matchAll(pattern)) {
    mentions.add(name!);
    const stem = name!.replace(/[A-Z][a-z]+$/, '');
    for (const tail of (more ?? '').split('/').filter(Boolean)) mentions.add(`${stem}${tail}`);
  }
  return mentions;
};

/** Capitalised words of source code: class, type and field names, provider field names in strings. */
export const codeVocabulary = (sources: readonly string[]): Set<string> =>
  new Set(sources.flatMap((source) => [...source.matchAll(/\b[A-Z][A-Za-z0-9]+\b/g)].map(([word]) => word)));

/** Metric-like names a document mentions that infra/metrics.json does not define (and no code identifier explains). */
export const metricProblems = (docs: ReadonlyArray<{ file: string; text: string }>, metricNames: readonly string[], vocabulary: ReadonlySet<string>): string[] =>
  docs.flatMap(({ file, text }) => [...metricMentions(text, metricNames)]
    .filter((name) => !metricNames.includes(name) && !vocabulary.has(name))
    .map((name) => `${file} names metric ${name}, which infra/metrics.json does not define`));

// ---- (d) figures ------------------------------------------------------------------------------------------

/** A figure of the README's Figures table, and how prose states it: `pattern`'s first group is the value. */
export interface Figure { name: string; pattern: RegExp }

/** The Figures table (`## Figures`): figure → value, as written. */
export const figuresTable = (readme: string): Map<string, string> =>
  new Map(tablesOf(readme, 'Figures').flatMap((table) => table.rows.map((row) => [row[0] ?? '', (row[1] ?? '').replace(/\*/g, '')] as const)));

/** The figure's number as written (`+0.48`, `3,700 bytes`, `8 KiB` → `0.48`, `3,700`, `8`). */
export const numberOf = (text: string): string | undefined => /\d[\d.,]*\d|\d/.exec(text)?.[0];

/** Every statement of a figure in `text` (outside the Figures table) that differs from the table's value. */
export const figureProblems = (file: string, text: string, figures: readonly Figure[], values: ReadonlyMap<string, string>): string[] => {
  const prose = text.replace(/\n## Figures\n[\s\S]*?(?=\n## |$)/, '\n');
  return figures.flatMap(({ name, pattern }) => {
    const value = values.get(name);
    if (value === undefined) return [`the Figures table has no row "${name}"`];
    return [...prose.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))]
      .filter(([, stated]) => numberOf(stated!) !== numberOf(value))
      .map(([match, stated]) => `${file} says ${stated} where the Figures table says ${value} ("${match.trim()}")`);
  });
};
