import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../lib/errors';
import { routeOfType, telcoName } from '../../lib/esms/channels';
import { winnerOf } from '../../lib/esms/state';
import { parseCallback, parseCallbackWithIdentity } from '../../lib/esms/parse';
import { esmsCallbackLines, esmsFixture } from '../support/fixtures';

const parseErrorOf = (raw: string): ParseError => {
  try {
    parseCallback(raw);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for ${raw.slice(0, 80)}`);
};

/** Line 1 with one parameter replaced (or removed when `value` is undefined). */
const line1With = (name: string, value: string | undefined): string =>
  esmsFixture('cskh-batch-failed')
    .split('&')
    .flatMap((segment) => (segment.startsWith(`${name}=`) ? (value === undefined ? [] : [`${name}=${value}`]) : [segment]))
    .join('&');

describe('parseCallback on the fixtures', () => {
  it.each(esmsCallbackLines().map((line, index) => [index + 1, line] as const))('line %i parses', (_line, raw) => {
    expect(parseCallback(raw).smsId).toMatch(/^[0-9a-f-]{32,39}$/);
  });

  it('line 1: counts, telco and phone; empty RequestId and switchsmsid are absent', () => {
    expect(parseCallback(esmsFixture('cskh-batch-failed'))).toEqual({
      smsId: 'dc712784-9c5f-4c69-b9a8-ea69d56adc9a87', sendStatus: 5, typeId: 2,
      totalReceiver: 2, totalSent: 2, sendSuccess: 0, sendFailed: 2, priceE4: 0,
      telcoId: 1, phone: '0901888484', extra: {},
    });
  });

  it('line 2: a promo batch price counted exactly in 1/10000 VND', () => {
    expect(parseCallback(esmsFixture('promo-batch'))).toMatchObject({ typeId: 1, totalReceiver: 169, priceE4: 6969870000 });
  });

  it('lines 3 and 10: the same ZNS -114 failure in two renderings', () => {
    const line3 = parseCallback(esmsFixture('zns-114-json-string'));
    expect(line3).toMatchObject({ oaId: '1397492183140006179', templateId: '2056446', errorInfo: { code: -114, shape: 'json-string' } });
    expect(line3.errorInfo?.message).toBe('User is inactive, or reject the message, or using an outdated Zalo version, or other internal errors');
    expect(line3.partnerIds).toBeUndefined();
    const line10 = parseCallback(esmsFixture('zns-114-unencoded'));
    expect([line10.errorInfo?.code, line10.errorInfo?.message]).toEqual([line3.errorInfo?.code, line3.errorInfo?.message]);
  });

  it('line 5: consulting message by Zalo uid with a double-encoded error_info', () => {
    expect(parseCallback(esmsFixture('zalo-consulting-double-encoded'))).toMatchObject({
      typeId: 26, phone: '312158068343230', partnerIds: 'e1a60e8890be9de4c4ab', priceE4: 600000,
      errorInfo: { shape: 'double-encoded', zaloMsgId: 'e1a60e8890be9de4c4ab', zaloUserId: '31215806834323092', at: '2024-04-24T16:58:01+07:00' },
    });
    expect(parseCallback(esmsFixture('zalo-consulting-double-encoded')).telcoId).toBeUndefined();
  });

  it('line 8: a non-hex partnerids is kept as sent', () => {
    expect(parseCallback(esmsFixture('journey-reused-smsid'))).toMatchObject({ typeId: 27, partnerIds: 'e1a60e8890be9derir3gfbff' });
  });

  it('line 9: the undocumented telcoid 9 is accepted; delivered status 1', () => {
    const event = parseCallback(esmsFixture('zns-by-uid-plain-json'));
    expect(event).toMatchObject({ telcoId: 9, errorInfo: { shape: 'json', deliveryStatus: 1 } });
    expect(telcoName(event.telcoId ?? 0)).toBe('unknown');
  });

  it('line 11: code -124 with the .NET trailer', () => {
    expect(parseCallback(esmsFixture('error-info-dotnet-trailer')).errorInfo).toMatchObject({
      code: -124, shape: 'json-with-trailer', trailer: 'Object reference not set to an instance of an object.',
    });
  });

  it('lines 12-30: RequestId, statuses, casing, delivery data, codes and extras', () => {
    expect(parseCallback(esmsFixture('zns-otp-request-id')).requestId).toBe('ord-20260101-0001');
    expect(['cskh-status-7', 'cskh-status-5', 'rejected-status-4', 'pending-approval-status-1', 'waiting-status-2'].map((line) => parseCallback(esmsFixture(line)).sendStatus)).toEqual([7, 5, 4, 1, 2]);
    expect(parseCallback(esmsFixture('fixed-number-vietnamobile'))).toMatchObject({ typeId: 8, telcoId: 4 });
    expect(parseCallback(esmsFixture('totalprice-casing')).priceE4).toBe(6900000);
    expect(parseCallback(esmsFixture('zns-failure-empty')).errorInfo).toBeUndefined();
    expect(parseCallback(esmsFixture('zns-delivered-with-time')).errorInfo?.deliveredAt).toBe(1767678030984);
    expect(parseCallback(esmsFixture('zns-accepted-not-delivered')).errorInfo?.deliveryStatus).toBe(0);
    expect(parseCallback(esmsFixture('error-info-bare-1001')).errorInfo).toMatchObject({ code: 1001, shape: 'code' });
    expect(parseCallback(esmsFixture('zalo-consulting-230')).errorInfo?.code).toBe(-230);
    expect(parseCallback(esmsFixture('journey-149')).errorInfo?.code).toBe(-149);
    expect(parseCallback(esmsFixture('plus-for-spaces')).errorInfo?.message).toBe('Zalo account not existed');
    expect(parseCallback(esmsFixture('zns-144-fully-encoded')).errorInfo?.code).toBe(-144);
    expect(parseCallback(esmsFixture('reordered-unknown-param')).extra).toEqual({ extra_param: 'x' });
  });
});

describe('parseCallbackWithIdentity', () => {
  const canonicalOf = (raw: string) => parseCallbackWithIdentity(raw).canonical;

  it('gives byte-identical deliveries the same identity (6/7, 1/18) and a status change a new one (13/14)', () => {
    expect(canonicalOf(esmsFixture('zalo-user-form'))).toBe(canonicalOf(esmsFixture('zalo-transaction')));
    expect(canonicalOf(esmsFixture('cskh-batch-failed-retry'))).toBe(canonicalOf(esmsFixture('cskh-batch-failed')));
    expect(canonicalOf(esmsFixture('cskh-status-5'))).not.toBe(canonicalOf(esmsFixture('cskh-status-7')));
    expect(canonicalOf(esmsFixture('journey-reused-smsid'))).not.toBe(canonicalOf(esmsFixture('zalo-consulting-double-encoded')));
  });

  it('line 30 in any parameter order has the same identity and event', () => {
    const segments = esmsFixture('reordered-unknown-param').split('&');
    fc.assert(
      fc.property(fc.shuffledSubarray(segments, { minLength: segments.length }), (shuffled) => {
        expect(parseCallbackWithIdentity(shuffled.join('&'))).toEqual(parseCallbackWithIdentity(esmsFixture('reordered-unknown-param')));
      }),
    );
  });
});

describe('parseCallback rejects each bad input class with the field as eSMS spells it', () => {
  it.each([
    ['missing SMSID', line1With('SMSID', undefined), 'SMSID', 'SMSID is required'],
    ['empty SMSID', line1With('SMSID', ''), 'SMSID', 'SMSID is empty'],
    ['SMSID with a space', line1With('SMSID', 'dc712784+9c5f'), 'SMSID', 'SMSID contains whitespace or control characters'],
    ['SMSID over 64 chars', line1With('SMSID', 'a'.repeat(65)), 'SMSID', 'SMSID is 65 characters; at most 64 are accepted'],
    ['non-numeric count', line1With('TotalSent', 'abc'), 'TotalSent', 'TotalSent must be a non-negative integer; received "abc"'],
    ['negative count', line1With('SendFailed', '-1'), 'SendFailed', 'SendFailed must be a non-negative integer; received "-1"'],
    ['decimal count', line1With('SendSuccess', '1.5'), 'SendSuccess', 'SendSuccess must be a non-negative integer; received "1.5"'],
    ['empty count', line1With('TotalReceiver', ''), 'TotalReceiver', 'TotalReceiver must be a non-negative integer; received ""'],
    ['missing count', line1With('TotalReceiver', undefined), 'TotalReceiver', 'TotalReceiver is required'],
    ['unknown SendStatus', line1With('SendStatus', '3'), 'SendStatus', 'unknown SendStatus 3; expected one of 1, 2, 4, 5, 7'],
    ['non-numeric SendStatus', line1With('SendStatus', 'done'), 'SendStatus', 'unknown SendStatus "done"; expected one of 1, 2, 4, 5, 7'],
    ['missing SendStatus', line1With('SendStatus', undefined), 'SendStatus', 'SendStatus is required'],
    ['unknown TypeId', line1With('TypeId', '99'), 'TypeId', 'unknown TypeId 99; expected one of 1, 2, 8, 23, 24, 25, 26, 27'],
    ['price with 5 decimals', line1With('TotalPrice', '1.00000'), 'TotalPrice', 'TotalPrice must be a non-negative decimal with at most 4 decimals; received "1.00000"'],
    ['negative price', line1With('TotalPrice', '-1.0000'), 'TotalPrice', 'TotalPrice must be a non-negative decimal with at most 4 decimals; received "-1.0000"'],
    ['missing price', line1With('TotalPrice', undefined), 'TotalPrice', 'TotalPrice is required'],
    ['non-numeric telcoid', line1With('telcoid', 'vt'), 'telcoid', 'telcoid must be a non-negative integer; received "vt"'],
    ['%zz', line1With('phonenumber', '%zz'), 'phonenumber', 'malformed percent-encoding in phonenumber'],
    ['a lone %', line1With('phonenumber', '090%'), 'phonenumber', 'malformed percent-encoding in phonenumber'],
    ['a truncated UTF-8 escape', line1With('phonenumber', '%E0%A4%A'), 'phonenumber', 'malformed percent-encoding in phonenumber'],
    ['a repeated parameter with another value', `${esmsFixture('cskh-batch-failed')}&SendStatus=7`, 'SendStatus', 'SendStatus repeated with different values'],
  ])('%s', (_case, raw, field, message) => {
    expect(parseErrorOf(raw)).toMatchObject({ field, message, status: 400 });
  });

  it('refuses an oversized query with 414', () => {
    expect(parseErrorOf(`${esmsFixture('cskh-batch-failed')}&pad=${'x'.repeat(8192)}`)).toMatchObject({ field: 'query', status: 414 });
  });

  it('accepts a repeated parameter with the same value, an empty telcoid and any TotalPrice casing', () => {
    expect(parseCallback(`${esmsFixture('cskh-batch-failed')}&sendstatus=5`).sendStatus).toBe(5);
    expect(parseCallback(line1With('telcoid', '')).telcoId).toBeUndefined();
    expect(parseCallback(line1With('TotalPrice', undefined).concat('&TOTALPRICE=0.5')).priceE4).toBe(5000);
  });

  it.each([
    ['0.0001', 1], ['470', 4700000], ['696987.0000', 6969870000], ['99999999999.9999', 999999999999999],
  ])('counts price %s as %i ten-thousandths exactly', (price, priceE4) => {
    expect(parseCallback(line1With('TotalPrice', price)).priceE4).toBe(priceE4);
  });
});

describe('the winner rule on parsed callbacks', () => {
  // Behaviour, not the tables restated: whatever order callbacks of one SMSID arrive in, the winner is the
  // final one (5 or 4) over 7 over 2 over 1, and among two finals the one received last.
  const candidate = (status: number, at: number) => {
    const event = parseCallback(line1With('SendStatus', String(status)));
    return { id: `${status}@${at}`, entry: { s: event.sendStatus, at, n: [1, 1, 0, 0] as [number, number, number, number], p: 0, t: event.typeId } };
  };
  it.each([[[1, 2, 7, 5]], [[5, 7, 2, 1]], [[7, 5, 1, 2]], [[2, 1, 5, 7]]])('arrivals %j end at the final 5', (statuses) => {
    const winner = winnerOf(statuses.map((status, index) => candidate(status, index)));
    expect(winner?.entry.s).toBe(5);
  });
  it('between two finals the later wins, and a late 7 never beats either', () => {
    expect(winnerOf([candidate(5, 1), candidate(4, 2), candidate(7, 3)])?.id).toBe('4@2');
    expect(winnerOf([candidate(4, 1), candidate(5, 2), candidate(7, 3)])?.id).toBe('5@2');
  });
  it('a telcoid outside eSMS\'s table (the official sample has 9) is kept as unknown, not refused', () => {
    const event = parseCallback(line1With('telcoid', '9'));
    expect(event.telcoId).toBe(9);
    expect(telcoName(event.telcoId!)).toBe('unknown');
  });
  it('every TypeId a callback may carry has a route whose handler accepts it unflagged (the fixtures cover each route)', () => {
    const routes = new Set(esmsCallbackLines().map((line) => routeOfType(parseCallback(line).typeId)));
    expect([...routes].sort()).toEqual(['journey', 'sms', 'viber', 'zalo', 'zns']);
  });
});

describe('parseCallback properties', () => {
  const fragments = fc.constantFrom(
    'SMSID=', 'SendStatus=', 'TypeId=', 'TotalPrice=', 'telcoid=', 'error_info=', '5', '2', '-1', '.', '%', '&', '=', '+',
    '%7B', '%22', '%E0', '%A4', '____', '{', '"', '\\', 'é', '\uD800', ' ',
  );
  const mutatedFixture = fc
    .tuple(fc.constantFrom(...esmsCallbackLines()), fc.nat(), fc.string({ unit: fragments, maxLength: 4 }))
    .map(([line, at, insert]) => line.slice(0, at % (line.length + 1)) + insert + line.slice(at % (line.length + 1)));

  it('either returns an event or throws a ParseError, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fragments }), mutatedFixture), (raw) => {
        try {
          parseCallback(raw);
          return true;
        } catch (error) {
          return error instanceof ParseError && (error.status === 400 || error.status === 414);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parses its own canonical form to the same identity and event', () => {
    fc.assert(
      fc.property(mutatedFixture, (raw) => {
        let parsed: ReturnType<typeof parseCallbackWithIdentity>;
        try {
          parsed = parseCallbackWithIdentity(raw);
        } catch {
          return;
        }
        const again = parseCallbackWithIdentity(parsed.canonical);
        expect(again.canonical).toBe(parsed.canonical);
        expect({ ...again.event, extra: undefined }).toEqual({ ...parsed.event, extra: undefined });
      }),
      { numRuns: 1000 },
    );
  });
});
