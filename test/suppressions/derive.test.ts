/** Which outcomes suppress or clear a subject, and in which order they win (lib/suppressions/derive.ts). */
import { describe, expect, it } from 'vitest';
import { suppressionChanges } from '../../lib/suppressions/derive';
import type { SuppressionChange } from '../../lib/suppressions/ports';
import { esmsFixture, zaloFixtures } from '../support/fixtures';

const AT = Date.parse('2026-12-01T10:00:00+07:00');
const ZNS_114 = esmsFixture('zns-114-json-string');
const znsWith = (code: number, typeId = 25) => ZNS_114.replace('-114', String(code)).replace('TypeId=25', `TypeId=${typeId}`);
const ZNS_OK = esmsFixture('zns-otp-request-id');

/** A batch recipient's callback item inserted, as the stream delivers it. */
const callbackItem = (q: string, at = AT, overrides: Record<string, unknown> = {}) => {
  const params = new URLSearchParams(q);
  return {
    sequenceNumber: String(at), oldImage: undefined,
    newImage: {
      pk: 'T#acme#M#s1', sk: `C#${params.get('phonenumber')}#5#x`, kind: 'esms-cb', tenant: 'acme', smsId: params.get('SMSID') ?? 's1', id: '5#x',
      s: Number(params.get('SendStatus')), t: Number(params.get('TypeId')), n: [2, 1, 0, 1], p: 0, at, rt: 'zns', q, ph: params.get('phonenumber') ?? undefined,
      oa: '1397492183140006179', ...overrides,
    },
  };
};

/** A single recipient's head written with a new inline callback. */
const headWith = (q: string, at = AT, old?: Record<string, unknown>) => {
  const params = new URLSearchParams(q);
  const entry = { s: Number(params.get('SendStatus')), t: Number(params.get('TypeId')), n: [1, 1, 0, 1], p: 0, at, rt: 'zns', q, ph: params.get('phonenumber')! };
  const head = { pk: 'T#acme#M#s2', sk: '#', kind: 'esms', tenant: 'acme', smsId: 's2', typeId: entry.t, route: 'zns', firstSeen: at, lastSeen: at, phone: entry.ph };
  return { sequenceNumber: String(at), oldImage: old, newImage: { ...head, ...old, [`c#5#${at}`]: entry } };
};

const zaloItem = (name: string, eventTime = AT, mutate = (raw: string) => raw) => {
  const fixture = zaloFixtures().find((f) => f.name === name)!;
  const raw = mutate(fixture.rawBody);
  const body = JSON.parse(raw) as Record<string, unknown>;
  return {
    sequenceNumber: String(eventTime), oldImage: undefined,
    newImage: {
      pk: 'T#acme#ZEV#x', sk: `E#${name}`, kind: 'zalo', tenant: 'acme', family: 'x', eventName: body.event_name, appId: body.app_id,
      oaId: '1397492183140006179', eventTime, receivedAt: eventTime, raw,
      ...(name === 'user_received_message' && { zns: true, msgIds: ['15a0cc0bbb13bd4ce403'] }),
    },
  };
};

const one = (changes: SuppressionChange[]) => {
  expect(changes).toHaveLength(1);
  return changes[0]!;
};

describe('suppressing outcomes', () => {
  it.each([-118, -119, -139, -140, -141])('a final Zalo-type callback with code %i suppresses its phone, with the catalogue\'s reason and the SMSID', (code) => {
    const change = one(suppressionChanges(callbackItem(znsWith(code))));
    expect(change).toMatchObject({ tenant: 'acme', subject: '84901888484', subjectType: 'phone', suppress: true, code, source: 'esms', at: AT, oaId: '1397492183140006179' });
    expect(change.smsId).toBe(new URLSearchParams(ZNS_114).get('SMSID'));
    expect(change.reason).toBeTruthy();
  });

  it.each([24, 25, 26, 27])('every Zalo TypeId (%i) counts; 26 and 27 name a Zalo user id', (typeId) => {
    expect(one(suppressionChanges(callbackItem(znsWith(-118, typeId))))).toMatchObject({ suppress: true, subjectType: typeId >= 26 ? 'zalo-user' : 'phone' });
  });

  it('-114 (maybe transient), another code, an empty error_info and a non-final status change nothing', () => {
    expect(suppressionChanges(callbackItem(ZNS_114))).toEqual([]);
    expect(suppressionChanges(callbackItem(znsWith(-124)))).toEqual([]);
    expect(suppressionChanges(callbackItem(esmsFixture('zns-failure-empty')))).toEqual([]);
    expect(suppressionChanges(callbackItem(znsWith(-118).replace('SendStatus=5', 'SendStatus=7')))).toEqual([]);
  });

  it('an SMS callback (a fallback) with the same code changes nothing: only Zalo types speak for Zalo', () => {
    expect(suppressionChanges(callbackItem(znsWith(-118, 2)))).toEqual([]);
  });

  it('a single recipient\'s inline callback in its head suppresses as a batch item does; a head rewritten with the same callback adds nothing', () => {
    const written = headWith(znsWith(-118));
    expect(one(suppressionChanges(written))).toMatchObject({ subject: '84901888484', suppress: true, smsId: 's2' });
    expect(suppressionChanges({ sequenceNumber: '2', oldImage: written.newImage, newImage: { ...written.newImage, lastSeen: AT + 1 } })).toEqual([]);
  });

  it('an unfollow suppresses the follower\'s user id; a refused call consent the phone', () => {
    expect(one(suppressionChanges(zaloItem('unfollow')))).toMatchObject({ subject: '5308693166941955879', subjectType: 'zalo-user', suppress: true, source: 'zalo', event: 'unfollow' });
    const refused = zaloItem('user_reply_consent', AT, (raw) => raw.replace('"ALLOW"', '"USER_BLOCKED"'));
    expect(one(suppressionChanges(refused))).toMatchObject({ subject: '84901234567', subjectType: 'phone', suppress: true, event: 'user_reply_consent' });
  });
});

describe('clearing outcomes', () => {
  it('a Zalo-channel success (Zalo code 0), a ZNS receipt, a consent ALLOW and a follow clear', () => {
    expect(one(suppressionChanges(callbackItem(ZNS_OK)))).toMatchObject({ subject: '84987654321', suppress: false, msgId: 'a4d0243feee163bd3af2' });
    expect(one(suppressionChanges(zaloItem('user_received_message')))).toMatchObject({ subject: '84901888484', suppress: false, msgId: '15a0cc0bbb13bd4ce403' });
    expect(one(suppressionChanges(zaloItem('user_reply_consent')))).toMatchObject({ subject: '84901234567', suppress: false });
    expect(one(suppressionChanges(zaloItem('follow')))).toMatchObject({ subject: '5308693166941955879', suppress: false });
  });

  it('an SMS success clears nothing (a fallback says nothing about Zalo)', () => {
    expect(suppressionChanges(callbackItem(esmsFixture('cskh-status-5')))).toEqual([]);
    expect(suppressionChanges(callbackItem(ZNS_OK.replace('TypeId=24', 'TypeId=2')))).toEqual([]);
  });

  it('a ZNS receipt naming a hashed phone clears nothing (no subject to clear)', () => {
    expect(suppressionChanges(zaloItem('user_received_message', AT, (raw) => raw.replace('"84901888484"', '"9f86d081884c7d659a2feaa0c55ad015"')))).toEqual([]);
  });
});

describe('order', () => {
  it('orders by event time first, so a stale outcome ranks below a newer one whatever the arrival order', () => {
    const older = one(suppressionChanges(callbackItem(znsWith(-118), AT)));
    const newer = one(suppressionChanges(callbackItem(ZNS_OK.replace('0987654321', '0901888484'), AT + 1)));
    expect(newer.subject).toBe(older.subject);
    expect(newer.order > older.order).toBe(true);
    const later = one(suppressionChanges(callbackItem(znsWith(-141), AT + 1_000_000)));
    expect(later.order > newer.order).toBe(true);
  });

  it('in the same millisecond a suppressing outcome beats a clearing one', () => {
    const suppress = one(suppressionChanges(callbackItem(znsWith(-118), AT)));
    const clear = one(suppressionChanges(callbackItem(ZNS_OK.replace('0987654321', '0901888484'), AT)));
    expect(suppress.order > clear.order).toBe(true);
  });

  it('records of other kinds change nothing', () => {
    expect(suppressionChanges({ sequenceNumber: '1', oldImage: undefined, newImage: { pk: 'T#acme#P#1', sk: 'M#1', kind: 'esms-ph' } })).toEqual([]);
    expect(suppressionChanges({ sequenceNumber: '1', oldImage: { kind: 'zalo' }, newImage: undefined })).toEqual([]);
  });
});
