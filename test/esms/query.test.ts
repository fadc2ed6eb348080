import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../lib/errors';
import { canonicalQuery, readQuery } from '../../lib/esms/query';
import { esmsFixture } from '../support/fixtures';

const parseErrorOf = (raw: string): ParseError => {
  try {
    readQuery(raw);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for ${raw.slice(0, 80)}`);
};

const canonicalOf = (raw: string): string => canonicalQuery(readQuery(raw));

describe('readQuery', () => {
  it('decodes percent-escapes and + as space, and keys by lower-cased name while keeping the name as sent', () => {
    const params = readQuery('Totalprice=690.0000&message=Zalo+account%20not+existed&x=%7B%22a%22%7D');
    expect(params.get('totalprice')).toEqual({ name: 'Totalprice', value: '690.0000' });
    expect(params.get('message')?.value).toBe('Zalo account not existed');
    expect(params.get('x')?.value).toBe('{"a"}');
  });

  it('skips empty segments and reads a segment without = as an empty value', () => {
    const params = readQuery('&a=1&&b=2&flag&');
    expect([...params.keys()]).toEqual(['a', 'b', 'flag']);
    expect(params.get('flag')?.value).toBe('');
  });

  it('splits on the first = only', () => {
    expect(readQuery('a=b=c').get('a')?.value).toBe('b=c');
  });

  it('accepts a name repeated with the same value, in any casing or encoding', () => {
    expect(readQuery('SMSID=abc&smsid=%61bc').get('smsid')).toEqual({ name: 'SMSID', value: 'abc' });
  });

  it('rejects a name repeated with a different value, naming it', () => {
    expect(parseErrorOf('SMSID=abc&SMSID=abd')).toMatchObject({ field: 'SMSID', status: 400, message: 'SMSID repeated with different values' });
    expect(parseErrorOf('TotalPrice=1.0000&Totalprice=2.0000')).toMatchObject({ field: 'Totalprice', status: 400 });
  });

  it.each([
    ['%zz', 'SMSID=%zz'],
    ['a lone %', 'SMSID=abc%'],
    ['a truncated UTF-8 sequence', 'SMSID=%E0%A4%A'],
    ['invalid UTF-8', 'SMSID=%C3%28'],
  ])('rejects %s as malformed percent-encoding of that parameter', (_case, raw) => {
    expect(parseErrorOf(raw)).toMatchObject({ field: 'SMSID', status: 400, message: 'malformed percent-encoding in SMSID' });
  });

  it('rejects malformed percent-encoding in a name, naming the raw name', () => {
    expect(parseErrorOf('a=1&b%zz=2')).toMatchObject({ field: 'b%zz', status: 400 });
  });

  it('rejects an empty parameter name', () => {
    expect(parseErrorOf('=1')).toMatchObject({ field: 'query', status: 400 });
  });

  it('rejects text that decodes to a lone surrogate (it could not be re-encoded canonically)', () => {
    expect(parseErrorOf('a=\uD800')).toMatchObject({ field: 'a', status: 400 });
  });

  it('accepts 3700 bytes and refuses 3701 with 414, counting UTF-8 bytes rather than characters', () => {
    expect(() => readQuery(`a=${'x'.repeat(3698)}`)).not.toThrow();
    expect(parseErrorOf(`a=${'x'.repeat(3699)}`)).toMatchObject({ field: 'query', status: 414 });
    expect(parseErrorOf(`a=${'é'.repeat(1850)}`)).toMatchObject({ field: 'query', status: 414 });
  });
});

describe('canonicalQuery', () => {
  it('sorts lower-cased names and re-encodes decoded values', () => {
    expect(canonicalOf('b=x+y&A=%7b&c')).toBe('a=%7B&b=x%20y&c=');
  });

  it('is the same for byte-identical deliveries (lines 6/7 and 1/18) and differs when the status changes (13/14)', () => {
    expect(canonicalOf(esmsFixture('zalo-user-form'))).toBe(canonicalOf(esmsFixture('zalo-transaction')));
    expect(canonicalOf(esmsFixture('cskh-batch-failed-retry'))).toBe(canonicalOf(esmsFixture('cskh-batch-failed')));
    expect(canonicalOf(esmsFixture('cskh-status-5'))).not.toBe(canonicalOf(esmsFixture('cskh-status-7')));
  });

  it('ignores parameter order and name casing (line 30 reordered)', () => {
    const line = esmsFixture('reordered-unknown-param');
    const reordered = line.split('&').reverse().join('&').replace('TotalPrice=', 'Totalprice=');
    expect(canonicalOf(reordered)).toBe(canonicalOf(line));
  });

  const paramMap = fc.uniqueArray(
    fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 20 })),
    { maxLength: 8, selector: ([name]) => name.toLowerCase() },
  );
  const formEncode = (text: string): string => encodeURIComponent(text).replaceAll('%20', '+');

  it('round-trips generated parameter maps whatever their order and encoding style', () => {
    fc.assert(
      fc.property(paramMap, fc.boolean(), (entries, form) => {
        const encode = form ? formEncode : encodeURIComponent;
        const raw = entries.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
        const params = readQuery(raw);
        expect(params.size).toBe(entries.length);
        for (const [name, value] of entries) expect(params.get(name.toLowerCase())).toEqual({ name, value });
        const canonical = canonicalQuery(params);
        expect(canonicalOf(canonical)).toBe(canonical);
        const reversed = entries.map(([name, value]) => `${encode(name)}=${encode(value)}`).reverse().join('&');
        expect(canonicalOf(reversed)).toBe(canonical);
      }),
      { numRuns: 300 },
    );
  });

  it('readQuery only ever throws ParseError', () => {
    const fragments = fc.constantFrom('a', '=', '&', '+', '%', '%7B', '%E0', '%A4', '%zz', 'é', '\uD800', '____');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fragments })), (raw) => {
        try {
          readQuery(raw);
          return true;
        } catch (error) {
          return error instanceof ParseError;
        }
      }),
      { numRuns: 500 },
    );
  });
});
