/**
 * The house rules bite: `npm run lint` passing means nothing if a rule silently stopped matching (a path
 * pattern that no longer fits the tree, type-only imports no longer followed, a parser that skips a file).
 * Each fixture tree under test/fixtures/house/ breaks one rule; the project's own dependency-cruiser
 * rule set and eslint config run on it here, and exactly that rule must fire. Every rule has its tree (a
 * rule added without one fails here). The clean tree follows every rule and must pass, so the rules are
 * not simply refusing everything.
 */
import { readFileSync } from 'node:fs';
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

/** Each rule of `.dependency-cruiser.cjs`, the fixture tree that breaks it, and exactly what must be reported. */
const CASES: Array<{ rule: string; tree: string; what: string; violations: unknown[] }> = [
  {
    rule: 'no-cycles', tree: 'type-cycle', what: 'a cycle made only of `import type` between two domain modules',
    violations: [{ rule: 'no-cycles', from: 'lib/zalo/event.ts', to: 'lib/zalo/stored.ts', cycle: ['lib/zalo/stored.ts', 'lib/zalo/event.ts'] }],
  },
  {
    rule: 'handler-imports-wiring-only', tree: 'handler', what: 'a handler importing something other than lib/wiring',
    violations: [{ rule: 'handler-imports-wiring-only', from: 'functions/zalo-webhook.ts', to: 'lib/zalo/ingest.ts' }],
  },
  {
    rule: 'app-not-to-wiring', tree: 'app-wiring', what: 'a lib/api route reading a composition root',
    violations: [{ rule: 'app-not-to-wiring', from: 'lib/api/rejected.ts', to: 'lib/wiring/shared.ts' }],
  },
  {
    rule: 'app-not-to-adapters', tree: 'api-store', what: 'a lib/api module importing lib/store, type-only',
    violations: [{ rule: 'app-not-to-adapters', from: 'lib/api/zalo.ts', to: 'lib/store/zalo-events.ts' }],
  },
  {
    rule: 'app-no-aws-sdk', tree: 'app-sdk', what: 'the AWS SDK imported by lib/inbound',
    violations: [{ rule: 'app-no-aws-sdk', from: 'lib/inbound/esms.ts', to: expect.stringMatching(/node_modules\/@aws-sdk\/client-dynamodb\//) }],
  },
  {
    rule: 'domain-not-up', tree: 'domain-up', what: 'a domain module importing lib/http',
    violations: [{ rule: 'domain-not-up', from: 'lib/reports/daily.ts', to: 'lib/http/response.ts' }],
  },
  {
    rule: 'domain-not-to-adapters', tree: 'upward', what: 'a domain port written as Pick<ReturnType<typeof buildXStore>> over a store adapter',
    violations: [{ rule: 'domain-not-to-adapters', from: 'lib/zalo/followers.ts', to: 'lib/store/followers.ts' }],
  },
  {
    rule: 'domain-no-aws-sdk', tree: 'sdk', what: 'the AWS SDK imported by a domain module',
    violations: [{ rule: 'domain-no-aws-sdk', from: 'lib/zalo/state.ts', to: expect.stringMatching(/node_modules\/@aws-sdk\/client-dynamodb\//) }],
  },
  {
    rule: 'domain-no-network', tree: 'domain-network', what: 'node:https imported by a domain module',
    violations: [{ rule: 'domain-no-network', from: 'lib/reconcile/ask.ts', to: 'https' }],
  },
  {
    rule: 'adapters-not-up', tree: 'adapter-up', what: 'a store adapter importing lib/inbound',
    violations: [{ rule: 'adapters-not-up', from: 'lib/store/rejected.ts', to: 'lib/inbound/pipeline.ts' }],
  },
  {
    rule: 'adapters-only-to-domain-ports', tree: 'adapter-domain', what: 'a store adapter importing a domain rule beside the port it implements',
    violations: [{ rule: 'adapters-only-to-domain-ports', from: 'lib/store/esms-messages.ts', to: 'lib/esms/state.ts' }],
  },
  {
    rule: 'bottom-imports-bottom-only', tree: 'bottom-up', what: 'lib/table importing a domain module',
    violations: [{ rule: 'bottom-imports-bottom-only', from: 'lib/table/esms.ts', to: 'lib/esms/channels.ts' }],
  },
  {
    rule: 'telemetry-from-wiring-only', tree: 'telemetry', what: 'an adapter loading the Powertools telemetry instance',
    violations: [{ rule: 'telemetry-from-wiring-only', from: 'lib/store/zalo-events.ts', to: 'lib/observability/telemetry.ts' }],
  },
  {
    rule: 'lib-not-to-infra-code', tree: 'infra-code', what: 'lib/ importing the local stack\'s code under infra/',
    violations: [{ rule: 'lib-not-to-infra-code', from: 'lib/wiring/shared.ts', to: 'infra/local/defaults.ts' }],
  },
  {
    rule: 'lib-not-to-tests-or-handlers', tree: 'lib-to-test', what: 'lib/ importing test code',
    violations: [{ rule: 'lib-not-to-tests-or-handlers', from: 'lib/wiring/shared.ts', to: 'test/support/clock.ts' }],
  },
  {
    rule: 'no-unresolvable', tree: 'unresolvable', what: 'an import of a module that does not exist',
    violations: [{ rule: 'no-unresolvable', from: 'lib/zalo/parse.ts', to: './shema' }],
  },
  {
    rule: 'lib-module-in-a-layer', tree: 'no-layer', what: 'a lib/ module in no layer, importing nothing and imported by nothing',
    violations: [{ rule: 'lib-module-in-a-layer', from: 'lib/helpers/format.ts', to: 'lib/helpers/format.ts' }],
  },
];

describe('dependency-cruiser rules (.dependency-cruiser.cjs) on deliberate violations', () => {
  for (const { rule, tree, what, violations } of CASES) {
    it(`${rule}: ${what} (test/fixtures/house/${tree})`, async () => {
      expect(await violationsOf(tree)).toEqual(violations);
    });
  }

  it('every rule of the rule set has its fixture case above, and every case names a rule of the set', async () => {
    const { forbidden = [], required = [] } = (await extractDepcruiseOptions(join(PROJECT_ROOT, '.dependency-cruiser.cjs'))).ruleSet ?? {};
    const names = [...forbidden, ...required].map((rule) => rule.name);
    expect(CASES.map((c) => c.rule).sort()).toEqual([...names].sort());
  });

  it('the intended shape (handler → wiring → api → domain (port) ← store adapter → lib/table, leaves and infra data at the bottom) passes', async () => {
    expect(await violationsOf('clean')).toEqual([]);
  });

  it('`npm run lint` ignores no known violation any more: the baseline is empty', () => {
    const known = JSON.parse(readFileSync(join(PROJECT_ROOT, '.dependency-cruiser-known-violations.json'), 'utf8')) as unknown[];
    expect(known).toEqual([]);
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
    // Type-aware linting builds the whole project's TypeScript program first: 30-50 s on a loaded 2-core machine.
  }, 90_000);
});
