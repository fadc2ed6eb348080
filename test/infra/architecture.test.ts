/** docs/architecture.md stays true: the files its walks name exist, and an eSMS callback crosses at most 15. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'architecture.md'), 'utf8');
const section = (title: string): string => {
  const start = doc.indexOf(`## ${title}`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end === -1 ? undefined : end);
};
/** The numbered steps' main files: the first path each step names. */
const walk = (title: string): string[] =>
  section(title).split('\n').filter((line) => /^\d+\. /.test(line)).map((line) => /`((?:functions|lib)\/[^`]+\.ts)`/.exec(line)?.[1] ?? '');
const named = (title: string): string[] => [...section(title).matchAll(/`((?:functions|lib|infra)\/[^`*]+\.ts)`/g)].map(([, path]) => path!);

describe('docs/architecture.md', () => {
  it('walks an eSMS callback from route to report through at most 15 files, one per step', () => {
    const files = walk('An eSMS callback, from route to report (15 files)');
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(15);
    expect(new Set(files).size).toBe(files.length);
  });

  it('names only files that exist', () => {
    const all = [...named('An eSMS callback, from route to report (15 files)'), ...named('A Zalo event'), ...named('Operations')];
    expect(all.filter((path) => !existsSync(join(PROJECT_ROOT, path)))).toEqual([]);
  });
});
