/**
 * The layer rules of style.md (habits 1, 3, 10 and 13), checked by `npm run lint` on every import,
 * type-only imports included. test/infra/house-rules.test.ts runs this rule set on deliberate violations
 * (test/fixtures/house/) so that a rule that stops biting fails a test.
 *
 * Layers, from the edge inwards:
 * - functions/: Lambda handlers, bindings of lib/wiring;
 * - lib/wiring/: composition roots (settings, clients, adapters, telemetry);
 * - lib/api/, lib/http/: the HTTP application layer;
 * - adapters: lib/store/ (DynamoDB), lib/esms-api/ and lib/zalo-api/ (HTTP clients), lib/config/ssm.ts, lib/aws/;
 * - domain: pure modules that declare the ports they need; adapters implement them;
 * - lib/table/: every table key, prefix, index and stored-item schema.
 * Paths are relative to the cruise's baseDir, so the same rules apply to the fixture trees.
 */

/** Pure modules: parsing, state rules, reports, key design. */
const DOMAIN = [
  '^lib/(esms|zalo|aggregate|reports|reconcile|replay|table)/',
  '^lib/(time|errors|lanes)\\.ts$',
  '^lib/observability/(mask|metric-names|ports)\\.ts$',
];
const ADAPTERS = ['^lib/(store|esms-api|zalo-api|aws)/', '^lib/config/ssm\\.ts$'];
const APPLICATION = '^lib/(api|http)/';
/** Resolved under node_modules (possibly above baseDir), or left unresolved. */
const npm = (names) => `(^|/)node_modules/(${names})/|^(${names})(/|$)`;
const AWS_SDK = npm('@aws-sdk|@smithy|aws-sdk');
const POWERTOOLS = npm('@aws-lambda-powertools');
const NETWORK = ['^(node:)?(http|https|http2|net|tls|dgram)$', npm('undici|node-fetch|axios|got')];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules form a tree of layers. A cycle, even through `import type`, means two modules are one ' +
        'module in disguise or a port is declared on the wrong side; split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'handler-imports-wiring-only',
      severity: 'error',
      comment:
        'A handler in functions/ is a binding (habit 1): it re-exports what its lib/wiring module built. ' +
        'Anything else (a parser, an adapter, the SDK) belongs behind the wiring, where it is built once per instance.',
      from: { path: '^functions/' },
      to: { pathNot: '^lib/wiring/' },
    },
    {
      name: 'domain-no-aws-sdk',
      severity: 'error',
      comment:
        'Domain modules are plain typed functions (habit 3): no AWS SDK, Smithy or Powertools. Declare ' +
        'the port the domain needs next to it and implement it in an adapter (lib/store, lib/aws, ...).',
      from: { path: DOMAIN },
      to: { path: [AWS_SDK, POWERTOOLS] },
    },
    {
      name: 'domain-no-network',
      severity: 'error',
      comment:
        'Domain modules do no I/O: HTTP clients live in adapters (lib/esms-api, lib/zalo-api) behind a ' +
        'port the domain declares. (Global fetch is caught by eslint `no-restricted-globals`.)',
      from: { path: DOMAIN },
      to: { path: NETWORK },
    },
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      comment:
        'Imports run downward: adapters implement ports the domain declares, never the other way round. ' +
        'A domain module importing lib/store (even a type, even Pick<ReturnType<typeof buildXStore>>) ' +
        'depends on DynamoDB; declare the port in the domain module instead. Settings come in as values.',
      from: { path: DOMAIN },
      to: { path: [...ADAPTERS, '^lib/config/'] },
    },
    {
      name: 'domain-not-to-api-or-wiring',
      severity: 'error',
      comment:
        'The domain is used by the HTTP layer and the wiring, not the reverse: an import of lib/api or ' +
        'lib/wiring from a pure module pulls routes, clients and settings into it.',
      from: { path: DOMAIN },
      to: { path: ['^lib/api/', '^lib/wiring/'] },
    },
    {
      name: 'table-is-pure',
      severity: 'error',
      comment:
        'lib/table owns keys, prefixes, index names and stored-item schemas; domain, adapters, infra and ' +
        'tests all import it, so it imports nothing but valibot, the pure leaves lib/time.ts and ' +
        'lib/errors.ts, the table definitions JSON and node:crypto (long keys are bounded by hashing them).',
      from: { path: '^lib/table/' },
      to: {
        pathNot: ['^lib/table/', '^lib/(time|errors)\\.ts$', '^infra/[^/]+\\.json$', npm('valibot'), '^(node:)?crypto$'],
      },
    },
    {
      name: 'adapters-not-to-app-or-wiring',
      severity: 'error',
      comment:
        'Adapters implement domain ports over the SDK or HTTP; they know nothing of routes, HTTP answers ' +
        'or the composition root. Errors they raise are domain errors (lib/errors), not lib/http ones.',
      from: { path: ADAPTERS },
      to: { path: ['^lib/api/', '^lib/http/', '^lib/wiring/'] },
    },
    {
      name: 'app-not-to-store',
      severity: 'error',
      comment:
        'lib/api and lib/http talk to storage through the ports the domain declares, not through ' +
        'lib/store (not even a type): the wiring hands them the adapter.',
      from: { path: APPLICATION },
      to: { path: '^lib/store/' },
    },
    {
      name: 'app-no-aws-sdk',
      severity: 'error',
      comment: 'The HTTP layer maps requests to domain calls; the SDK and Powertools stay in adapters and wiring.',
      from: { path: APPLICATION },
      to: { path: [AWS_SDK, POWERTOOLS] },
    },
    {
      name: 'telemetry-from-wiring-only',
      severity: 'error',
      comment:
        'lib/observability/telemetry.ts builds the Powertools Logger and Metrics at import time. Only the ' +
        'composition roots may load it; everything else takes the Log / Telemetry port types from ' +
        'lib/observability/ports.ts.',
      from: { path: '^lib/', pathNot: ['^lib/wiring/', '^lib/observability/telemetry\\.ts$'] },
      to: { path: '^lib/observability/telemetry\\.ts$' },
    },
    {
      name: 'lib-not-to-infra-code',
      severity: 'error',
      comment:
        'Product code ships in the Lambda bundles; infra/ is deploy and local-stack tooling. Shared names ' +
        'are JSON data files under infra/ (tables.json, metrics.json, ...), which lib/ may import.',
      from: { path: '^(lib|functions)/' },
      to: { path: '^infra/', pathNot: '^infra/[^/]+\\.json$' },
    },
    {
      name: 'lib-not-to-tests-or-handlers',
      severity: 'error',
      comment: 'Nothing in lib/ depends on a handler or on test code: imports point inwards only.',
      from: { path: '^lib/' },
      to: { path: '^(test|functions)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved would fail at bundle time; it also hides from every rule above.',
      from: {},
      // The console's built assets (console/build.js) exist once built; the console's own esbuild step builds them first.
      to: { couldNotResolve: true, pathNot: '^\\.\\./\\.\\./\\.console/assets\\.json$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Deliberate violations, cruised one tree at a time by test/infra/house-rules.test.ts.
    exclude: { path: '^test/fixtures/house/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
