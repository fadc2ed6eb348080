/**
 * infra/manifests/index.js (CommonJS, because osls loads it) for the TypeScript side: the local stack, the
 * tools and the tests. Loaded through require, which vitest and tsx handle alike.
 */
import { createRequire } from 'node:module';
import type * as ManifestModule from './index.js';

export const manifestModule = createRequire(import.meta.url)('./index.js') as typeof ManifestModule;

export type { FunctionEntry, Manifest } from './index.js';
