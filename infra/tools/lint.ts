/**
 * The shape rules `npm test` enforces (style.md habits 1, 3 and 10):
 * - handlers in functions/ are bindings: they import only lib/wiring and stay under 30 lines;
 * - pure modules (parsing, counting rules, report building) import no AWS SDK, no adapter, no wiring;
 * - lib/ never imports from functions/, infra/ (table definitions JSON aside) or test/;
 * - the lib/ import graph has no cycles;
 * - no `any`, no skipped or focused tests, no `console.log` in lib/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const walk = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });

const PURE = [/^lib\/esms\/(?!ingest)/, /^lib\/zalo\/(schema|signature|parse|dedup|headers)/, /^lib\/reports\//, /^lib\/aggregate\/(deltas|contributions|counter-key|zalo-contributions|business)/, /^lib\/http\/(errors|pipeline|secrets)/];
const importsOf = (source: string): string[] => [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
// Type-only imports vanish at runtime, so they cannot form a load-order cycle.
const runtimeImportsOf = (source: string): string[] => [...source.matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const code = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

const problems: string[] = [];
const graph = new Map<string, string[]>();
const resolveLocal = (from: string, spec: string): string | undefined => {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(join(root, candidate)).isFile()) return candidate;
    } catch { /* next */ }
  }
  return base;
};

for (const file of [...walk('functions'), ...walk('lib')]) {
  const source = readFileSync(join(root, file), 'utf8');
  const imports = importsOf(source);
  const local = imports.map((spec) => resolveLocal(file, spec)).filter((p): p is string => p !== undefined);
  const runtime = runtimeImportsOf(source).map((spec) => resolveLocal(file, spec)).filter((p): p is string => p !== undefined);
  graph.set(file, runtime.filter((p) => p.startsWith('lib/') && p.endsWith('.ts')));
  if (file.startsWith('functions/')) {
    const lines = source.trimEnd().split('\n').length;
    if (lines > 30) problems.push(`${file}: handler has ${lines} lines (bindings stay under 30)`);
    for (const target of local) if (!target.startsWith('lib/wiring/')) problems.push(`${file}: handlers import only lib/wiring/*, not ${target}`);
    continue;
  }
  if (PURE.some((rule) => rule.test(file))) {
    for (const spec of imports) {
      if (spec.startsWith('@aws-sdk/') || spec === 'aws-sdk') problems.push(`${file}: pure module imports ${spec}`);
    }
    for (const target of local) if (/^lib\/(store|wiring)\//.test(target)) problems.push(`${file}: pure module imports adapter/wiring ${target}`);
  }
  for (const target of local) {
    if (/^(functions|test)\//.test(target) || (target.startsWith('infra/') && !target.endsWith('.json'))) problems.push(`${file}: lib/ must not import ${target}`);
  }
  if (/:\s*any\b|as any\b|<any>/.test(code(source))) problems.push(`${file}: uses \`any\``);
  if (/console\.log\(/.test(code(source))) problems.push(`${file}: console.log in lib/ (use the structured logger)`);
}

for (const file of walk('test')) {
  const source = readFileSync(join(root, file), 'utf8');
  if (/\b(it|test|describe)\.(skip|only|todo)\b|\bx(it|describe)\(/.test(source)) problems.push(`${file}: skipped or focused test`);
}

// Cycle detection over lib/ (depth-first, colouring).
const state = new Map<string, 'active' | 'done'>();
const visit = (node: string, path: string[]) => {
  if (state.get(node) === 'done') return;
  if (state.get(node) === 'active') {
    problems.push(`import cycle: ${[...path.slice(path.indexOf(node)), node].join(' → ')}`);
    return;
  }
  state.set(node, 'active');
  for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
  state.set(node, 'done');
};
for (const node of graph.keys()) visit(node, []);

if (problems.length) {
  console.error(`lint: ${problems.length} problem(s)\n${problems.map((p) => `  - ${relative('.', p)}`).join('\n')}`);
  process.exit(1);
}
console.log(`lint: ${graph.size} files checked, rules hold`);
