/**
 * Builds a function's bundle the way serverless-esbuild does (options from serverless.yml custom.esbuild),
 * with the target lowered to what runs here, plus the bench's experimental variants. Experiments swap
 * modules at bundle time through a plugin; product files are never edited.
 */
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { readServerlessFunctions } from '../../infra/local/routes';
import { ROOT } from './common';

const EXPERIMENTS = join(ROOT, 'test', 'bench', 'experiments');
const LIB = join(ROOT, 'lib');

interface ServerlessFile {
  custom: { esbuild: { bundle?: boolean; minify?: boolean; sourcemap?: boolean; target?: string; platform?: string; format?: string; exclude?: string[]; mainFields?: string[]; alias?: Record<string, string> } };
  /** A map, or (now) the `${file(./infra/manifests/index.js)}` that builds it. */
  functions: Record<string, { handler: string }> | string;
}

export const readServerless = (): ServerlessFile => parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessFile;

/**
 * functionName → entry file (functions/x.ts), in the order osls gets them: serverless.yml's `functions:`
 * is `${file(./infra/manifests/index.js)}`, built from the manifests, which infra/local/routes.ts reads too.
 */
export const functionEntries = (): Array<{ name: string; entry: string }> => {
  const declared = readServerless().functions;
  const functions = typeof declared === 'string' ? readServerlessFunctions() : declared;
  return Object.entries(functions).map(([name, fn]) => ({ name, entry: join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`) }));
};

export interface Variant {
  id: string;
  label: string;
  mainFields?: string[];
  external?: string[];
  /** Powertools-free telemetry (experiments/telemetry-lite.ts). */
  liteTelemetry?: boolean;
  /** 'lazy': real SDK required at the first send; 'mini': experiments/mini-dynamodb.ts. */
  client?: 'sdk' | 'lazy' | 'mini';
  /** With client 'lazy': the SDK goes to a second file (dynamodb-sdk.js) required at the first send. */
  splitSdk?: boolean;
  /** The SDK's default credential chain replaced by the environment step alone (experiments/env-credentials.ts). */
  envCredentials?: boolean;
}

export const VARIANTS: Variant[] = [
  { id: 'base', label: 'as serverless.yml (SDK bundled, CJS main fields)' },
  { id: 'esm', label: "mainFields ['module','main'] (SDK's ES build)", mainFields: ['module', 'main'] },
  { id: 'external-sdk', label: "external ['@aws-sdk/*'] (SDK from node_modules)", external: ['@aws-sdk/*'] },
  { id: 'no-powertools', label: 'Powertools logger/metrics replaced by a 60-line JSON/EMF writer', liteTelemetry: true },
  { id: 'esm+no-powertools', label: 'ES build of the SDK + no Powertools', mainFields: ['module', 'main'], liteTelemetry: true },
  { id: 'esm+env-credentials', label: 'ES build of the SDK + env-only credential provider', mainFields: ['module', 'main'], envCredentials: true },
  { id: 'esm+env-credentials+no-powertools', label: 'ES build + env-only credentials + no Powertools', mainFields: ['module', 'main'], envCredentials: true, liteTelemetry: true },
  { id: 'lazy-sdk', label: 'SDK required at the first send (lazy)', client: 'lazy' },
  { id: 'lazy-sdk-split', label: 'lazy SDK in a separate file (ES build), required at the first send', client: 'lazy', splitSdk: true },
  { id: 'mini-client', label: 'minimal DynamoDB client (node:crypto SigV4 + node:http), Powertools kept', client: 'mini' },
  { id: 'mini-client+no-powertools', label: 'minimal DynamoDB client + no Powertools', client: 'mini', liteTelemetry: true },
];

const SDK_MODULES = /^@aws-sdk\/(lib-dynamodb|client-dynamodb|util-dynamodb)$/;

const swapPlugin = (variant: Variant): Plugin => ({
  name: 'bench-swap',
  setup(b) {
    if (variant.liteTelemetry) {
      b.onResolve({ filter: /observability\/telemetry$/ }, (args) =>
        args.importer.startsWith(LIB) ? { path: join(EXPERIMENTS, 'telemetry-lite.ts') } : undefined);
    }
    if (variant.client === 'mini' || variant.client === 'lazy') {
      const target = join(EXPERIMENTS, variant.client === 'mini' ? 'mini-lib-dynamodb.ts' : 'lazy-sdk.ts');
      b.onResolve({ filter: SDK_MODULES }, (args) => {
        if (!args.importer.startsWith(LIB)) return undefined;
        // util-dynamodb's unmarshall is tiny and synchronous: the lazy variant keeps the real one.
        if (variant.client === 'lazy' && args.path === '@aws-sdk/util-dynamodb') return undefined;
        return { path: target };
      });
    }
    if (variant.envCredentials) {
      b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: join(EXPERIMENTS, 'env-credentials.ts') }));
    }
    if (variant.splitSdk) {
      b.onResolve({ filter: /^\.\/sdk-chunk$/ }, () => ({ path: './dynamodb-sdk.js', external: true }));
    }
  },
});

export interface BuiltBundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The biggest contributors to the handler file (package or source folder → minified bytes). */
  largest: Array<{ name: string; bytes: number }>;
}

export const yamlEsbuildOptions = (): BuildOptions => {
  const o = readServerless().custom.esbuild;
  return {
    bundle: o.bundle ?? true,
    minify: o.minify ?? false,
    sourcemap: o.sourcemap ?? false,
    platform: (o.platform ?? 'node') as BuildOptions['platform'],
    format: (o.format ?? 'cjs') as BuildOptions['format'],
    external: o.exclude ?? [],
    ...(o.mainFields ? { mainFields: o.mainFields } : {}),
    ...(o.alias ? { alias: o.alias } : {}),
  };
};

export const buildBundle = async (entry: string, outfile: string, variant: Variant): Promise<BuiltBundle> => {
  const base = yamlEsbuildOptions();
  const result = await build({
    ...base,
    entryPoints: [entry],
    absWorkingDir: ROOT,
    outfile,
    target: 'node20', // serverless.yml says node22 (Lambda); this machine runs Node 20
    logLevel: 'error',
    ...(variant.mainFields ? { mainFields: variant.mainFields } : {}),
    external: [...(base.external ?? []), ...(variant.external ?? [])],
    plugins: [swapPlugin(variant)],
    metafile: true,
  });
  const files = [outfile];
  if (variant.splitSdk) {
    const chunk = join(dirname(outfile), 'dynamodb-sdk.js');
    await build({ ...base, entryPoints: [join(EXPERIMENTS, 'sdk-chunk.ts')], outfile: chunk, target: 'node20', logLevel: 'error', mainFields: ['module', 'main'] });
    files.push(chunk);
  }
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  const contents: Record<string, number> = {};
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      contents[pkg] = (contents[pkg] ?? 0) + info.bytesInOutput;
    }
  }
  const largest = Object.entries(contents).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, size]) => ({ name, bytes: size }));
  return { file: outfile, bytes, gzipBytes, largest };
};
