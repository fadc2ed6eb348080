/**
 * The fast tier (`npm test`) stays fast: a `*.test.ts` file without a tier in its name runs in memory, so it
 * may not start DynamoDB Local, the local stack, a browser or a child process, directly or through a helper
 * of test/support. A file that needs one of them names its tier (vitest.config.mts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

const TEST_DIR = join(PROJECT_ROOT, 'test');
const TIERED = /\.(dynamo|stack|browser|package|scale)\.test\.ts$/;

/** What only a heavier tier may reach: the engine, the stack, the browser, child processes, packaging. */
const HEAVY_IMPORTS = [
  /infra\/local\/(dynamodb|stack|server|stream-poller)$/,
  /test\/support\/(stack|dynamo-endpoint|dynamo-engine|global-setup|packaged-template|esms-items)$/,
  /test\/console\/(browser|chromium)$/,
  /^(node:)?child_process$/,
  /^playwright-core$/,
];

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)]
    .map((match) => match[1] ?? match[2]!)
    .map((spec) => (spec.startsWith('.') ? relative(PROJECT_ROOT, resolve(dirname(file), spec)).replace(/\.ts$/, '') : spec));

/** Every module a file reaches through relative imports inside test/ (helpers of helpers included). */
const reach = (file: string, seen = new Set<string>()): Set<string> => {
  for (const spec of importsOf(file)) {
    if (seen.has(spec)) continue;
    seen.add(spec);
    const local = join(PROJECT_ROOT, `${spec}.ts`);
    if (spec.startsWith('test/')) {
      try {
        statSync(local);
        reach(local, seen);
      } catch { /* a directory index or a non-TS file: nothing to follow */ }
    }
  }
  return seen;
};

const heavyReach = (file: string): string[] => [...reach(file)].filter((spec) => HEAVY_IMPORTS.some((pattern) => pattern.test(spec)));

describe('test tiers', () => {
  const fast = walk(TEST_DIR).filter((file) => file.endsWith('.test.ts') && !TIERED.test(file));

  it('finds the fast files and the check bites on a tiered one', () => {
    expect(fast.length).toBeGreaterThan(15);
    expect(heavyReach(join(TEST_DIR, 'inbound', 'esms.stack.test.ts'))).toContain('test/support/stack');
  });

  it.each(fast.map((file) => [relative(PROJECT_ROOT, file)]))('%s reaches nothing of a heavier tier', (file) => {
    expect(heavyReach(join(PROJECT_ROOT, file))).toEqual([]);
  });
});
