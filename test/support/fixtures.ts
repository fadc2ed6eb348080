import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', 'fixtures');

/** The raw eSMS callback query strings, in file order (index 0 = line 1). */
export const esmsCallbackLines = (): string[] =>
  readFileSync(join(root, 'esms', 'callbacks.txt'), 'utf8').split('\n').filter((line) => line.length > 0);

const esmsNames = (): Record<string, number> => {
  const { $comment: _comment, ...names } = JSON.parse(readFileSync(join(root, 'esms', 'names.json'), 'utf8')) as Record<string, number>;
  return names;
};

/** The names of the eSMS fixtures (test/fixtures/esms/names.json), in file order. */
export const esmsFixtureNames = (): string[] => Object.entries(esmsNames()).sort(([, a], [, b]) => a - b).map(([name]) => name);

/** One eSMS callback query string by its name (test/fixtures/esms/names.json says which line it is). */
export const esmsFixture = (name: string): string => {
  const line = esmsNames()[name];
  const value = line === undefined ? undefined : esmsCallbackLines()[line - 1];
  if (value === undefined) throw new Error(`no eSMS fixture named ${name}`);
  return value;
};

export interface ZaloFixture {
  name: string;
  headers: Record<string, string>;
  rawBody: string;
  source: string;
  confirmed: boolean;
}

export const ZALO_FIXTURE_APP_ID = '3482178216594085616';
export const ZALO_FIXTURE_SECRET = 'fixture-oa-secret-key';

export const zaloFixtures = (): ZaloFixture[] =>
  readdirSync(join(root, 'zalo'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), ...JSON.parse(readFileSync(join(root, 'zalo', file), 'utf8')) }));

export const zaloFixture = (name: string): ZaloFixture => {
  const found = zaloFixtures().find((fixture) => fixture.name === name);
  if (!found) throw new Error(`no Zalo fixture ${name}`);
  return found;
};
