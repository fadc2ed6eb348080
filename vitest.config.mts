import { defineConfig } from 'vitest/config';

/**
 * Test tiers, by file name (README, "Tests"):
 * - `*.test.ts`          fast: pure and in-process tests with in-memory ports (`npm test`, after every change);
 * - `*.dynamo.test.ts`   adapters on DynamoDB Local and its real stream, in process;
 * - `*.stack.test.ts`    the whole local stack over HTTP (DynamoDB Local, the poller, the fakes);
 * - `*.browser.test.ts`  the console in Debian's chromium;
 * - `*.package.test.ts`  packaging, bundles and the command-line tools as child processes;
 * - `*.scale.test.ts`    the largest inputs and crash/redelivery tests, each file on a DynamoDB Local of its own.
 * `npm run test:all` runs every tier; test/infra/tiers.test.ts keeps a fast file from needing more than memory.
 */
const HEAVY = ['dynamo', 'stack', 'browser', 'package', 'scale'] as const;
const heavy = (name: (typeof HEAVY)[number]) => ({
  extends: true as const,
  test: {
    name,
    // A scale file writes thousands of items: it gets a fresh DynamoDB Local of its own (test/support/dynamo-engine.ts).
    ...(name === 'scale' && { setupFiles: ['test/support/dynamo-engine.ts'] }),
    include: [`test/**/*.${name}.test.ts`],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: HEAVY.map((name) => `test/**/*.${name}.test.ts`),
          testTimeout: 20_000,
        },
      },
      ...HEAVY.map(heavy),
    ],
  },
});
