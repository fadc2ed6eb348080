import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeErrorInfo } from '../../lib/esms/error-info';
import { readQuery } from '../../lib/esms/query';
import { esmsFixture } from '../support/fixtures';

/** The query-decoded `error_info` of a fixture line: what the decoder receives in production. */
const errorInfoOf = (line: string) => decodeErrorInfo(readQuery(esmsFixture(line)).get('error_info')?.value ?? '');

const INACTIVE = 'User is inactive, or reject the message, or using an outdated Zalo version, or other internal errors';

describe('decodeErrorInfo on the fixtures', () => {
  it('line 3: JSON string literal wrapping JSON, parsed twice', () => {
    expect(errorInfoOf('zns-114-json-string')).toMatchObject({ shape: 'json-string', code: -114, message: INACTIVE, success: false });
  });

  it('line 10: the older doc rendering decodes to the same result as line 3', () => {
    const { raw: _raw3, ...line3 } = errorInfoOf('zns-114-json-string') ?? { raw: '' };
    const { raw: _raw10, ...line10 } = errorInfoOf('zns-114-unencoded') ?? { raw: '' };
    expect(line10).toEqual(line3);
  });

  it('line 5: double-encoded with the ____ suffix read as Vietnam time', () => {
    expect(errorInfoOf('zalo-consulting-double-encoded')).toMatchObject({
      shape: 'double-encoded', code: 0, success: true, message: 'Success',
      zaloMsgId: 'e1a60e8890be9de4c4ab', zaloUserId: '31215806834323092', at: '2024-04-24T16:58:01+07:00',
    });
    expect(errorInfoOf('zalo-transaction')?.at).toBe('2024-04-24T17:07:01+07:00');
  });

  it('line 9: plain JSON with raw braces, delivered (status 1) without a delivery_time', () => {
    const info = errorInfoOf('zns-by-uid-plain-json');
    expect(info).toMatchObject({ shape: 'json', code: 0, success: true, deliveryStatus: 1 });
    expect(info?.deliveredAt).toBeUndefined();
  });

  it('line 11: leading JSON object followed by a .NET exception trailer', () => {
    expect(errorInfoOf('error-info-dotnet-trailer')).toMatchObject({
      shape: 'json-with-trailer', code: -124, message: 'Access token is invalid',
      trailer: 'Object reference not set to an instance of an object.',
    });
  });

  it('line 12: data.msg_id is the Zalo message id', () => {
    expect(errorInfoOf('zns-otp-request-id')).toMatchObject({ shape: 'json', code: 0, zaloMsgId: 'a4d0243feee163bd3af2' });
  });

  it('line 22: empty error_info is undefined', () => {
    expect(errorInfoOf('zns-failure-empty')).toBeUndefined();
  });

  it('lines 23/24: delivery_time as epoch ms, and accepted-but-not-delivered status 0', () => {
    expect(errorInfoOf('zns-delivered-with-time')).toMatchObject({ deliveryStatus: 1, deliveredAt: 1767678030984 });
    expect(errorInfoOf('zns-accepted-not-delivered')).toMatchObject({ deliveryStatus: 0, code: 0 });
  });

  it('line 25: a bare eSMS code', () => {
    expect(errorInfoOf('error-info-bare-1001')).toEqual({ raw: '1001', shape: 'code', code: 1001, success: false });
  });

  it('lines 26/27: double-encoded failures keep their suffix time; data null is kept', () => {
    expect(errorInfoOf('zalo-consulting-230')).toMatchObject({
      shape: 'double-encoded', code: -230, data: null, at: '2026-01-01T08:15:42+07:00',
      message: 'User has not interacted with the OA in the past 7 days',
    });
    expect(errorInfoOf('journey-149')).toMatchObject({ shape: 'double-encoded', code: -149, message: 'Journey token is invalid', at: '2026-01-02T09:00:00+07:00' });
  });

  it('lines 28/29: + for spaces, and a fully encoded JSON string literal', () => {
    expect(errorInfoOf('plus-for-spaces')).toMatchObject({ shape: 'json', code: -118, message: 'Zalo account not existed' });
    expect(errorInfoOf('zns-144-fully-encoded')).toMatchObject({ shape: 'json-string', code: -144, message: 'OA has exceeded the daily ZNS sending limit' });
  });
});

describe('decodeErrorInfo on other inputs', () => {
  it.each([
    ['free text', 'Object reference not set to an instance of an object.'],
    ['JSON null', 'null'],
    ['a JSON string that is not JSON', '"User blocked"'],
    ['an unbalanced object', '{"error":-1'],
    ['a malformed escape where an encoded object should be', '%7Bzz%'],
  ])('keeps %s as text', (_case, raw) => {
    expect(decodeErrorInfo(raw)).toEqual({ raw, shape: 'text' });
  });

  it('decodes lower-case escapes, and leaves a malformed % inside an encoded object alone', () => {
    expect(decodeErrorInfo('%7b%22error%22%3a-1%7d')).toMatchObject({ shape: 'double-encoded', code: -1 });
    expect(decodeErrorInfo('%7B%22message%22:%22100% sure%22%7D')).toMatchObject({ shape: 'double-encoded', message: '100% sure' });
  });

  it('decodes again only what starts with an encoded {, " or [ (a value starting %257B stays text)', () => {
    const twice = encodeURIComponent(encodeURIComponent('{"error":0}'));
    expect(decodeErrorInfo(twice)).toEqual({ raw: twice, shape: 'text' });
    expect(decodeErrorInfo(encodeURIComponent('"{\\"error\\":0}"'))).toMatchObject({ shape: 'double-encoded', code: 0 });
    expect(decodeErrorInfo(encodeURIComponent('[1]'))).toMatchObject({ shape: 'double-encoded', data: [1] });
  });

  it('reads a numeric-string error code and ignores an impossible suffix date', () => {
    expect(decodeErrorInfo('{"error":"-114"}')).toMatchObject({ shape: 'json', code: -114 });
    expect(decodeErrorInfo('{"error":0}____32/13/2024 10:00:00')).toMatchObject({
      shape: 'json-with-trailer', code: 0, trailer: '____32/13/2024 10:00:00',
    });
  });

  it('keeps a JSON array as data and a suffixed bare code with its time', () => {
    expect(decodeErrorInfo('[1,2]')).toEqual({ raw: '[1,2]', shape: 'json', data: [1, 2] });
    expect(decodeErrorInfo('1001____01/01/2026 08:00:00')).toMatchObject({ shape: 'code', code: 1001, at: '2026-01-01T08:00:00+07:00' });
  });
});

describe('decodeErrorInfo properties', () => {
  const fragments = fc.constantFrom('{', '}', '"', '\\', '%', '%7B', '%22', '%5B', '%25', ':', ',', '1', '-', '+', '____', '01/01/2026 08:00:00', 'error', '\uD800');

  it('never throws and always keeps the raw string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fragments }), fc.json()), (raw) => {
        const info = decodeErrorInfo(raw);
        return raw === '' ? info === undefined : info?.raw === raw;
      }),
      { numRuns: 600 },
    );
  });

  it('recovers code and message from every documented shape', () => {
    const result = fc.record({ error: fc.integer({ min: -2000, max: 2000 }), message: fc.string({ unit: 'binary' }) });
    fc.assert(
      fc.property(result, ({ error, message }) => {
        const json = JSON.stringify({ error, message });
        const shapes = {
          json,
          'json-string': JSON.stringify(json),
          'double-encoded': `${encodeURIComponent(json)}____24/04/2024 16:58:01`,
          'json-with-trailer': `${json}Object reference not set to an instance of an object.`,
        } as const;
        for (const [shape, raw] of Object.entries(shapes)) {
          expect(decodeErrorInfo(raw)).toMatchObject({ raw, shape, code: error, message, success: error === 0 });
        }
      }),
      { numRuns: 300 },
    );
  });
});
