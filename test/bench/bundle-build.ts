/**
 * Builds a function's bundle the way serverless-esbuild does (options from serverless.yml custom.esbuild),
 * with the target lowered to what runs here, plus the bench's experimental variants. Experiments swap
 * modules at bundle time through a plugin; product files are never edited.
 */
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { ROOT } from './common';

const EXPERIMENTS = join(ROOT, 'test', 'bench', 'experiments');
const LIB = join(ROOT, 'lib');

interface ServerlessFile {
  custom: { esbuild: { bundle?: boolean; minify?: boolean; sourcemap?: boolean; target?: string; platform?: string; format?: string; exclude?: string[]; mainFields?: string[] } };
  functions: Record<string, { handler: string }>;
}

export const readServerless = (): ServerlessFile => parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessFile;

/** functionName → entry file (functions/x.ts), in serverless.yml order. */
export const functionEntries = (): Array<{ name: string; entry: string }> =>
  Object.entries(readServerless().functions).map(([name, fn]) => ({ name, entry: join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`) }));

export interface Variant {
  id: string;
  label: string;
  mainFields?: string[];
  external?: string[];
  /** Powertools-free telemetry (experiments/telemetry-lite.ts). */
  liteTelemetry?: boolean;
  /** 'lazy': real SDK required at the first send; 'mini': experiments/mini-dynamodb.ts. */
  client?: 'sdk' | 'lazy' | 'mini';
}

export const VARIANTS: Variant[] = [
  { id: 'base', label: 'as serverless.yml (SDK bundled, CJS main fields)' },
  { id: 'esm', label: "mainFields ['module','main'] (SDK's ES build)", mainFields: ['module', 'main'] },
  { id: 'external-sdk', label: "external ['@aws-sdk/*'] (SDK from node_modules)", external: ['@aws-sdk/*'] },
  { id: 'no-powertools', label: 'Powertools logger/metrics replaced by a 60-line JSON/EMF writer', liteTelemetry: true },
  { id: 'esm+no-powertools', label: 'ES build of the SDK + no Powertools', mainFields: ['module', 'main'], liteTelemetry: true },
  { id: 'lazy-sdk', label: 'SDK required at the first send (lazy)', client: 'lazy' },
  { id: 'lazy-sdk+no-powertools', label: 'lazy SDK + no Powertools', client: 'lazy', liteTelemetry: true },
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
  },
});

export interface BuiltBundle {
  file: string;
  bytes: number;
  gzipBytes: number;
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
  };
};

export const buildBundle = async (entry: string, outfile: string, variant: Variant): Promise<BuiltBundle> => {
  const base = yamlEsbuildOptions();
  await build({
    ...base,
    entryPoints: [entry],
    outfile,
    target: 'node20', // serverless.yml says node22 (Lambda); this machine runs Node 20
    logLevel: 'error',
    ...(variant.mainFields ? { mainFields: variant.mainFields } : {}),
    external: [...(base.external ?? []), ...(variant.external ?? [])],
    plugins: [swapPlugin(variant)],
  });
  return { file: outfile, bytes: statSync(outfile).size, gzipBytes: gzipSync(readFileSync(outfile), { level: 9 }).length };
};
