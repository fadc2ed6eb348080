/**
 * One catalogue of codes (lib/error-catalogue.ts, issue 23): every code in the repository's fixtures and in
 * docs/protocols.md §4 has a Vietnamese and an English description, and the catalogue holds no code the
 * documentation does not list (each code's source is there).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeErrorCode, ERROR_CATALOGUE } from '../../lib/error-catalogue';
import { decodeErrorInfo } from '../../lib/esms/error-info';
import { readQuery } from '../../lib/esms/query';
import { esmsCallbackLines } from '../support/fixtures';

const ROOT = join(import.meta.dirname, '..', '..');
const PROTOCOLS = readFileSync(join(ROOT, 'docs', 'protocols.md'), 'utf8');

/** The codes of §4's tables (the first cell of each row under "## 4."). */
const documentedCodes = (): number[] => {
  const section = PROTOCOLS.slice(PROTOCOLS.indexOf('## 4. Error codes'), PROTOCOLS.indexOf('## 5. '));
  return [...section.matchAll(/^\| (-?\d+) \|/gm)].map((match) => Number(match[1]));
};

const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? filesUnder(path) : [path];
});

/** Percent-decodes as often as it changes something, leaving malformed runs as they are. */
const decodedFully = (text: string): string => {
  let current = text;
  for (let i = 0; i < 3; i++) {
    const next = current.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
};

/** Every `"error": <n>` (escaped or not) and bare `error_info=<n>` in the fixture files, however encoded. */
const fixtureCodes = (): Set<number> => {
  const codes = new Set<number>();
  for (const file of filesUnder(join(ROOT, 'test', 'fixtures'))) {
    const text = decodedFully(readFileSync(file, 'utf8'));
    for (const match of text.matchAll(/\\*"error\\*"\s*:\s*(-?\d+)/g)) codes.add(Number(match[1]));
    for (const match of text.matchAll(/error_info=(-?\d+)(?:&|$)/gm)) codes.add(Number(match[1]));
  }
  for (const line of esmsCallbackLines()) {
    const code = decodeErrorInfo(readQuery(line).get('error_info')?.value ?? '')?.code;
    if (code !== undefined) codes.add(code);
  }
  return codes;
};

describe('the error catalogue', () => {
  it('describes every code in the fixtures (-230 and eSMS 1001 included) in both languages', () => {
    const codes = fixtureCodes();
    expect([...codes]).toEqual(expect.arrayContaining([-114, -124, -230, -149, -144, -118, 1001, 0]));
    const missing = [...codes].filter((code) => !describeErrorCode(code));
    expect(missing).toEqual([]);
  });

  it('describes every code docs/protocols.md §4 lists, and holds no code it does not list', () => {
    const documented = documentedCodes();
    expect(documented.length).toBeGreaterThan(120);
    expect(new Set(documented).size, 'each code is listed once').toBe(documented.length);
    expect([...ERROR_CATALOGUE.keys()].sort((a, b) => a - b)).toEqual([...documented].sort((a, b) => a - b));
  });

  it('covers the codes the issue names: -1121…-1124, -121…-123, -1241, -138, -142/-143, -151…-153, -158…-162, the OA-API codes', () => {
    const named = [-1121, -1122, -1123, -1124, -121, -122, -123, -1241, -138, -142, -143, -151, -152, -153, -158, -159, -160, -161, -162,
      -213, -216, -220, -227, -230, -232, -234, -244, -248, -249, -320, -321, 1001];
    expect(named.filter((code) => !describeErrorCode(code))).toEqual([]);
  });

  it('every description has both languages, Vietnamese different from English where words differ', () => {
    for (const [code, { vi, en, family }] of ERROR_CATALOGUE) {
      expect(vi.trim(), String(code)).not.toBe('');
      expect(en.trim(), String(code)).not.toBe('');
      expect(family).toBe(code > 0 ? 'esms' : family);
    }
    expect(describeErrorCode(-118)).toMatchObject({ family: 'zns', en: 'Zalo account does not exist or is deactivated' });
    expect(describeErrorCode(-230)).toMatchObject({ family: 'oa-api', vi: 'Người dùng không tương tác với OA trong 7 ngày qua' });
    expect(describeErrorCode(-155)).toBeUndefined();
  });
});
