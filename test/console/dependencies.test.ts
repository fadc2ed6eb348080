/**
 * What the console's bundle ships to browsers (every package console/src imports) is a production
 * dependency, so `npm audit --omit=dev` and licence checks of what runs see it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : /\.(ts|js)$/.test(name) ? [path] : [];
});

/** `preact/hooks` → `preact`, `@scope/name/x` → `@scope/name`; relative imports are not packages. */
const packageOf = (spec: string): string | undefined =>
  spec.startsWith('.') ? undefined : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

describe('console dependencies', () => {
  it('every package the console imports is in "dependencies", not "devDependencies"', () => {
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set(walk(join(PROJECT_ROOT, 'console', 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].flatMap((match) => packageOf(match[1]!) ?? [])));
    expect([...imported].sort()).toEqual(['htm', 'preact']);
    expect([...imported].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});
