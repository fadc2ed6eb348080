/**
 * Type-aware lint of every TypeScript file (strict types, no floating promises, no skipped tests), run by
 * `npm run lint` next to dependency-cruiser (.dependency-cruiser.cjs holds the layer rules; this file holds
 * the code rules).
 * test/infra/house-rules.test.ts proves a floating promise is caught through this very config.
 */
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** `it.skip`, `describe.only`, `test.todo`, `it.skipIf(…)`, also down a chain (`describe.concurrent.skip`). */
const TEST_API = '/^(it|test|describe|suite|bench)$/';
const SKIPPING = '/^(skip|only|todo|skipIf|runIf)$/';
const skippedTest = 'A skipped, focused or to-do test hides what the suite no longer proves; fix or delete it.';

/** Modules that do no I/O: the domain and the bottom layer of .dependency-cruiser.cjs (DOMAIN, BOTTOM). */
const DOMAIN_FILES = [
  'lib/{esms,zalo,zalo-oa,aggregate,reports,reconcile,replay,tenants,table}/**/*.ts',
  'lib/*.ts',
  'lib/observability/{mask,metric-names,ports}.ts',
];

export default defineConfig(
  globalIgnores([
    // Deliberate violations, linted one by one by test/infra/house-rules.test.ts.
    'test/fixtures/house/**',
    // CommonJS loaded by osls (infra/resources.js, infra/observability.js); test/infra checks what they build.
    '**/*.js',
    '**/*.cjs',
  ]),
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // A promise nobody awaits loses its error and races the Lambda freeze.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Types are inferred from schemas; `any` switches the checker off.
      '@typescript-eslint/no-explicit-any': 'error',
      // A union switch must name every member, unless it has a `default` that deliberately covers the rest
      // (the Zalo catalogue has ~40 event names; a state rule handles a few and ignores the others).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      // `import type` keeps type-only edges visible to dependency-cruiser and out of the bundles.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'after-used',
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_',
        ignoreRestSiblings: true,
      }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      // Logs go through the structured Log port (masked values, one JSON line each), never the console.
      'no-console': 'error',
    },
  },
  {
    files: DOMAIN_FILES,
    rules: {
      'no-restricted-globals': ['error', {
        name: 'fetch',
        message: 'Domain modules do no I/O: declare a port here and implement it in an HTTP adapter (lib/zalo-api, lib/esms-api).',
      }],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      // Handlers are bindings: a re-export of what lib/wiring built, no parsing, no try/catch, no answers.
      'max-lines': ['error', { max: 30, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: `MemberExpression[object.name=${TEST_API}][property.name=${SKIPPING}]`, message: skippedTest },
        { selector: `MemberExpression[object.object.name=${TEST_API}][property.name=${SKIPPING}]`, message: skippedTest },
        { selector: 'CallExpression[callee.name=/^(xit|xtest|xdescribe|fit|fdescribe)$/]', message: skippedTest },
      ],
    },
  },
);
