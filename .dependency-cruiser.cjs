/**
 * The layers of docs/architecture.md ("Layers"), checked by `npm run lint` on every import, type-only
 * imports included. Imports run down only:
 *
 *   functions/      handlers: each binds its lib/wiring module
 *   lib/wiring/     composition roots: settings, clients, adapters, telemetry for one function
 *   application     lib/api, lib/http, lib/inbound: requests → domain calls → answers
 *   domain          lib/{esms,zalo,zalo-oa,aggregate,reports,reconcile,replay,tenants},
 *                   lib/observability/{mask,metric-names,ports}.ts: plain typed functions; each declares its ports
 *   bottom          lib/table/ (keys, prefixes, stored schemas) and the pure leaves lib/*.ts
 *   adapters        lib/{store,esms-api,zalo-api,aws,config}, lib/observability/telemetry.ts: implement the
 *                   domain's ports, so they see the ports (lib/<domain>/ports.ts) and the bottom, nothing above
 *
 * test/infra/house-rules.test.ts runs this rule set on one fixture tree per rule (test/fixtures/house/) and
 * asserts that exactly that rule fires, so a rule that stops biting fails a test. Paths are relative to the
 * cruise's baseDir, so the same rules apply to the fixture trees. `.dependency-cruiser-known-violations.json`
 * is the baseline `npm run lint` ignores: empty, and test/infra/house-rules.test.ts keeps it so.
 */

const WIRING = '^lib/wiring/';
const APPLICATION = '^lib/(api|http|inbound)/';
const DOMAIN_FOLDERS = 'esms|zalo|zalo-oa|aggregate|projector|reports|reconcile|replay|tenants|destinations|suppressions|usage';
const DOMAIN = [`^lib/(${DOMAIN_FOLDERS})/`, '^lib/observability/(mask|metric-names|ports)\\.ts$'];
/** What an adapter may see of the domain: the ports it implements, and the metric names the Telemetry port is typed by. */
const DOMAIN_PORTS = [`^lib/(${DOMAIN_FOLDERS}|observability)/ports\\.ts$`, '^lib/observability/metric-names\\.ts$'];
const BOTTOM = ['^lib/table/', '^lib/[^/]+\\.ts$'];
const ADAPTERS = ['^lib/(store|queue|esms-api|zalo-api|webhook-client|aws|config)/', '^lib/observability/telemetry\\.ts$'];
const LAYERS = [WIRING, APPLICATION, ...DOMAIN, ...BOTTOM, ...ADAPTERS];
/** Shared names live in JSON data files under infra/ (tables.json, metrics.json, …), which lib/ may import. */
const INFRA_DATA = '^infra/[^/]+\\.json$';

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
        'A handler in functions/ is a binding: it re-exports what its lib/wiring module built. Anything else ' +
        '(a parser, an adapter, the SDK) belongs behind the wiring, where it is built once per instance.',
      from: { path: '^functions/' },
      to: { pathNot: WIRING },
    },
    {
      name: 'app-not-to-wiring',
      severity: 'error',
      comment:
        'The application layer (lib/api, lib/http, lib/inbound) is handed its dependencies by the wiring; ' +
        'importing a composition root would build every client and setting of that function inside it.',
      from: { path: APPLICATION },
      to: { path: WIRING },
    },
    {
      name: 'app-not-to-adapters',
      severity: 'error',
      comment:
        'The application talks to storage and providers through the ports the domain declares, not through ' +
        'lib/store, lib/esms-api, lib/zalo-api, lib/aws or lib/config (not even a type): the wiring hands it the adapter.',
      from: { path: APPLICATION },
      to: { path: ADAPTERS },
    },
    {
      name: 'app-no-aws-sdk',
      severity: 'error',
      comment: 'The application maps requests to domain calls; the SDK and Powertools stay in adapters and wiring.',
      from: { path: APPLICATION },
      to: { path: [AWS_SDK, POWERTOOLS] },
    },
    {
      name: 'domain-not-up',
      severity: 'error',
      comment:
        'The domain is used by the application and the wiring, not the reverse: an import of lib/api, lib/http, ' +
        'lib/inbound or lib/wiring from a domain module pulls routes, HTTP answers, clients and settings into it.',
      from: { path: DOMAIN },
      to: { path: [APPLICATION, WIRING] },
    },
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      comment:
        'Adapters implement ports the domain declares, never the other way round. A domain module importing ' +
        'lib/store (even a type, even Pick<ReturnType<typeof buildXStore>>) depends on DynamoDB; declare the ' +
        'port in the domain module instead. Settings come in as values, not from lib/config.',
      from: { path: DOMAIN },
      to: { path: ADAPTERS },
    },
    {
      name: 'domain-no-aws-sdk',
      severity: 'error',
      comment:
        'Domain modules are plain typed functions: no AWS SDK, Smithy or Powertools. Declare the port the domain ' +
        'needs next to it and implement it in an adapter (lib/store, lib/aws, ...).',
      from: { path: DOMAIN },
      to: { path: [AWS_SDK, POWERTOOLS] },
    },
    {
      name: 'domain-no-network',
      severity: 'error',
      comment:
        'Domain modules do no I/O: HTTP clients live in adapters (lib/esms-api, lib/zalo-api) behind a port the ' +
        'domain declares. (Global fetch is caught by eslint `no-restricted-globals`.)',
      from: { path: DOMAIN },
      to: { path: NETWORK },
    },
    {
      name: 'adapters-not-up',
      severity: 'error',
      comment:
        'Adapters implement domain ports over the SDK or HTTP; they know nothing of routes, HTTP answers or the ' +
        'composition root. The errors they raise are the family of lib/errors.ts, not lib/http answers.',
      from: { path: ADAPTERS },
      to: { path: [APPLICATION, WIRING] },
    },
    {
      name: 'adapters-only-to-domain-ports',
      severity: 'error',
      comment:
        'An adapter sees the domain only through the ports it implements (lib/<domain>/ports.ts). A rule it ' +
        'needs (a ranking, a phone spelling) comes in through the port as a value or a function, or lives in ' +
        'the bottom layer; otherwise the adapter decides what the domain should.',
      from: { path: ADAPTERS },
      to: { path: DOMAIN, pathNot: DOMAIN_PORTS },
    },
    {
      name: 'bottom-imports-bottom-only',
      severity: 'error',
      comment:
        'lib/table and the pure leaves lib/*.ts are imported by every layer, so they import nothing above ' +
        'themselves: only each other, valibot, node:crypto (long keys are bounded by hashing) and the ' +
        'infra/*.json definitions.',
      from: { path: BOTTOM },
      to: { pathNot: [...BOTTOM, INFRA_DATA, npm('valibot'), '^(node:)?crypto$'] },
    },
    {
      name: 'telemetry-from-wiring-only',
      severity: 'error',
      comment:
        'lib/observability/telemetry.ts builds the Powertools Logger and Metrics at import time. Only the ' +
        'composition roots may load it; everything else takes the Log / Telemetry port types from ' +
        'lib/observability/ports.ts.',
      from: { path: '^lib/', pathNot: [WIRING, '^lib/observability/telemetry\\.ts$'] },
      to: { path: '^lib/observability/telemetry\\.ts$' },
    },
    {
      name: 'lib-not-to-infra-code',
      severity: 'error',
      comment:
        'Product code ships in the Lambda bundles; infra/ is deploy and local-stack tooling. Shared names are ' +
        'JSON data files under infra/ (tables.json, metrics.json, ...), which lib/ may import.',
      from: { path: '^(lib|functions)/' },
      to: { path: '^infra/', pathNot: INFRA_DATA },
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
  required: [
    {
      name: 'lib-module-in-a-layer',
      severity: 'error',
      comment:
        'Every lib/ module belongs to one layer, or no rule above sees it. Forbidden rules look at imports; a ' +
        '`required` rule is the kind dependency-cruiser checks for every module, imported or not. Nothing can ' +
        'satisfy this one (no module is named ""), so it reports each lib/ module outside the layers.',
      module: { path: '^lib/', pathNot: LAYERS },
      to: { path: '^$' },
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
