/**
 * Every log line the functions write goes through one masking step (lib/observability/telemetry.ts): a
 * phone number in any spelling, passed at any level, as the message, an attribute at any depth, inside an
 * array or inside an error (message, stack, cause), leaves only its last 3 digits; ids longer than any
 * phone and Powertools' own fields (the timestamp) stay readable.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { maskDigits } from '../../lib/mask';
import { holdsNumber, PHONE_SPELLINGS } from '../support/phone-spellings';

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});
afterEach(() => vi.restoreAllMocks());

const printed = async (work: () => void): Promise<string> => {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => { chunks.push(String(chunk)); return true; };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { chunks.push(args.map(String).join(' ')); });
  work();
  return chunks.join('\n');
};

describe('phone masking', () => {
  it.each(PHONE_SPELLINGS)('maskDigits leaves nothing of %j but its last 3 digits', (spelling) => {
    expect(holdsNumber(spelling)).toBe(true);
    const masked = maskDigits(`before ${spelling} after`);
    expect(holdsNumber(masked)).toBe(false);
    expect(masked).toMatch(/484/);
  });

  it('ids longer than any phone, short numbers, hex ids and ISO timestamps are left alone', () => {
    const text = 'app 3482178216594085616 seq 49815000000000012345678901 count 1234567 msg 96d3cdf3af1504609090 hash 3d64928573397e85 until 2026-11-30T10:00:00.000Z';
    expect(maskDigits(text)).toBe(text);
  });

  it('every spelling, at every level, as message, attribute, nested, in an array and in an error, is masked in the printed line', async () => {
    const { logger } = await import('../../lib/observability/telemetry');
    const output = await printed(() => {
      for (const spelling of PHONE_SPELLINGS) {
        const error = new Error(`refused ${spelling}`, { cause: new Error(`because ${spelling}`) });
        for (const level of ['debug', 'info', 'warn', 'error'] as const) {
          logger[level](`message ${spelling}`, { reason: spelling, nested: { deeper: { query: `phonenumber=${spelling}` } }, list: [spelling], error, appId: '3482178216594085616' });
        }
      }
    });
    const lines = output.split('\n').filter((line) => line.trim().startsWith('{'));
    expect(lines.length).toBe(PHONE_SPELLINGS.length * 4);
    expect(lines.filter(holdsNumber)).toEqual([]);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'DEBUG', appId: '3482178216594085616' });
    expect(String(first.timestamp)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
