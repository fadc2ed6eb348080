/**
 * Issue 22 finding 9, for every log path at once: the masking (test/observability/log-masking.test.ts, and
 * end to end phone-spellings.stack.test.ts) holds for a path only if its line goes through the one masking
 * logger. Read from the sources of everything the functions run (lib/, functions/): nothing prints by
 * another way (console, process streams, a second Powertools Logger), every log call's message is a plain
 * text (no value can reach it), and no log call passes a raw body, query or event as a field: raw input is
 * logged only as `bodyFacts` (its size and a hash). Then every call site's message, at its own level, is
 * printed by that logger with every spelling of a phone in its fields, and no printed line holds the number.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { holdsNumber, PHONE_SPELLINGS } from '../support/phone-spellings';

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
});
const sources = ['lib', 'functions'].flatMap((dir) => walk(join(PROJECT_ROOT, dir)))
  .map((path) => ({ file: relative(PROJECT_ROOT, path), text: readFileSync(path, 'utf8') }));

interface Call { file: string; level: string; message: string; args: string }

/** Every `log.<level>(…)` / `logger.<level>(…)` call with its argument text (up to the matching parenthesis). */
const logCalls = (): Call[] => sources.flatMap(({ file, text }) => [...text.matchAll(/\b(?:log|logger)\.(debug|info|warn|error|critical)\(/g)].map((match) => {
  let depth = 1;
  let end = match.index + match[0].length;
  for (; end < text.length && depth > 0; end += 1) {
    if (text[end] === '(') depth += 1;
    if (text[end] === ')') depth -= 1;
  }
  const args = text.slice(match.index + match[0].length, end - 1);
  return { file, level: match[1]!, message: /^\s*'((?:[^'\\]|\\.)*)'/.exec(args)?.[1] ?? '', args };
})).filter((call) => call.file !== 'lib/observability/ports.ts');

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});
afterEach(() => vi.restoreAllMocks());

describe('every log path', () => {
  it('prints only through the masking logger: no console, no process stream, no second Logger', () => {
    const other = sources.filter(({ text }) => /\bconsole\.\w+\(|process\.(stdout|stderr)\.write/.test(text)).map(({ file }) => file);
    expect(other).toEqual([]);
    const loggers = sources.filter(({ text }) => /new Logger\(/.test(text)).map(({ file }) => file);
    expect(loggers).toEqual(['lib/observability/telemetry.ts']);
    expect(readFileSync(join(PROJECT_ROOT, 'lib/observability/telemetry.ts'), 'utf8')).toMatch(/new Logger\(\{[^}]*jsonReplacerFn: maskingReplacer/);
  });

  it('there are log paths at every level, each with a plain text message', () => {
    const calls = logCalls();
    expect(calls.length).toBeGreaterThan(30);
    expect(new Set(calls.map((call) => call.level))).toEqual(new Set(['debug', 'info', 'warn', 'error']));
    expect(calls.filter((call) => call.message === '').map((call) => `${call.file}: ${call.args.slice(0, 60)}`)).toEqual([]);
  });

  it('no log call passes a raw body, query or event: raw input only as bodyFacts (size and hash)', () => {
    const raw = /\b(raw|rawBody|body|rawQueryString|query|queryStringParameters|event|record|envelope|text)\s*[:,}]/;
    const offending = logCalls().filter((call) => {
      const fields = call.args.replace(/^\s*'(?:[^'\\]|\\.)*'\s*,?/, '');
      return raw.test(fields.replace(/\b(query|body)\s*:\s*bodyFacts\([^)]*\)/g, '').replace(/\.\.\.bodyFacts\([^)]*\)/g, ''));
    });
    expect(offending.map((call) => `${call.file}: ${call.message}`)).toEqual([]);
  });

  it('every call site\'s message, at its level, with every spelling in its fields, prints no number', async () => {
    const chunks: string[] = [];
    const capture = (chunk: string | Uint8Array) => { chunks.push(String(chunk)); return true; };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { chunks.push(args.map(String).join(' ')); });
    const { logger } = await import('../../lib/observability/telemetry');
    const calls = logCalls();
    for (const call of calls) {
      for (const spelling of PHONE_SPELLINGS) {
        const error = new Error(`failed for ${spelling}`);
        logger[call.level as 'debug' | 'info' | 'warn' | 'error'](call.message, {
          reason: `refused ${spelling}`, error: String(error), stack: error.stack, field: spelling, tenant: 'default', appId: spelling, oaId: spelling,
          parameters: [spelling], nested: { phone: spelling, query: `phonenumber=${spelling}` },
        });
      }
    }
    const lines = chunks.join('').split('\n').filter((line) => line.trim().startsWith('{'));
    expect(lines.length).toBe(calls.length * PHONE_SPELLINGS.length);
    expect(lines.filter(holdsNumber)).toEqual([]);
  });
});
