/**
 * The house rules bite: `npm run lint` passing means nothing if a rule silently stopped matching (a path
 * pattern that no longer fits the tree, type-only imports no longer followed, a parser that skips a file).
 * Each fixture tree under test/fixtures/house/ breaks one rule; the project's own dependency-cruiser
 * rule set and eslint config run on it here, and exactly that rule must fire. The clean tree follows
 * every rule and must pass, so the rules are not simply refusing everything.
 */
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'house');

/** `.dependency-cruiser.cjs` on one fixture tree: the rules' paths (`^lib/…`) are read from the tree's root. */
interface Violation { rule: string; from: string; to: string; cycle?: string[] }

const violationsOf = async (tree: string): Promise<Violation[]> => {
  const options = await extractDepcruiseOptions(join(PROJECT_ROOT, '.dependency-cruiser.cjs'));
  const baseDir = join(FIXTURES, tree);
  const { output } = await cruise(['.'], { ...options, baseDir, exclude: undefined, validate: true }, undefined, {
    tsConfig: extractTSConfig(join(PROJECT_ROOT, 'tsconfig.json')),
  });
  const result = output as ICruiseResult;
  expect(result.summary.totalCruised, `${tree} was cruised`).toBeGreaterThan(0);
  return result.summary.violations.map(({ rule, from, to, cycle }) => ({
    rule: rule.name, from, to, ...(cycle ? { cycle: cycle.map((step) => step.name) } : {}),
  }));
};

describe('dependency-cruiser rules (.dependency-cruiser.cjs) on deliberate violations', () => {
  it('a domain module importing a store adapter (a port written as Pick<ReturnType<typeof buildXStore>>)', async () => {
    expect(await violationsOf('upward')).toEqual([
      { rule: 'domain-not-to-adapters', from: 'lib/zalo/followers.ts', to: 'lib/store/followers.ts' },
    ]);
  });

  it('a cycle made only of `import type` between two domain modules', async () => {
    expect(await violationsOf('type-cycle')).toEqual([{
      rule: 'no-cycles', from: 'lib/zalo/event.ts', to: 'lib/zalo/stored.ts', cycle: ['lib/zalo/stored.ts', 'lib/zalo/event.ts'],
    }]);
  });

  it('the AWS SDK imported by a domain module', async () => {
    expect(await violationsOf('sdk')).toEqual([
      { rule: 'domain-no-aws-sdk', from: 'lib/zalo/state.ts', to: expect.stringMatching(/node_modules\/@aws-sdk\/client-dynamodb\//) },
    ]);
  });

  it('a handler importing something other than lib/wiring', async () => {
    expect(await violationsOf('handler')).toEqual([
      { rule: 'handler-imports-wiring-only', from: 'functions/zalo-webhook.ts', to: 'lib/zalo/ingest.ts' },
    ]);
  });

  it('a lib/api module importing lib/store, type-only', async () => {
    expect(await violationsOf('api-store')).toEqual([
      { rule: 'app-not-to-store', from: 'lib/api/zalo.ts', to: 'lib/store/zalo-events.ts' },
    ]);
  });

  it('the intended shape (handler → wiring → api → domain port ← store adapter → lib/table) passes', async () => {
    expect(await violationsOf('clean')).toEqual([]);
  });
});

describe('eslint rules (eslint.config.mjs) on deliberate violations', () => {
  it('a floating promise', async () => {
    // `ignore: false`: the real lint run ignores test/fixtures/house/, this run lints it with the same rules.
    const eslint = new ESLint({ cwd: PROJECT_ROOT, ignore: false });
    const [result] = await eslint.lintFiles([join(FIXTURES, 'eslint', 'floating-promise.ts')]);
    expect(result!.messages.map((message) => ({ rule: message.ruleId, line: message.line }))).toEqual([
      { rule: '@typescript-eslint/no-floating-promises', line: 7 },
    ]);
  });
});
