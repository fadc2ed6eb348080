import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../lib/errors';
import {
  refusalDetail,
  verifyZaloRequest,
  ZALO_MAX_AGE_MS,
  ZALO_MAX_SKEW_MS,
  ZALO_REFUSED_MESSAGE,
  type VerifyZaloInput,
} from '../../lib/zalo/signature';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture, zaloFixtures } from '../support/fixtures';
import { bodyTime, signedHeaders, thrown, zaloMac } from './sign';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const secret = ZALO_FIXTURE_SECRET;
const text = zaloFixture('user_send_text');
const ts = bodyTime(text.rawBody);
const sig = 'X-ZEvent-Signature';

const verify = (over: Partial<VerifyZaloInput> = {}) =>
  verifyZaloRequest({ rawBody: text.rawBody, headers: text.headers, secret, now: ts + 1000, ...over });

const expectedHex = (rawBody: string): string | undefined => {
  try {
    return zaloMac(rawBody).slice('mac='.length);
  } catch {
    return undefined;
  }
};

/**
 * Asserts the refusal is the one answer every refused signature gets (401, the signature header, the same
 * text), that its logged detail says `detail`, and that neither leaks the key or the expected mac.
 */
const rejects = (over: Partial<VerifyZaloInput>, detail: RegExp): RequestError => {
  const error = thrown(() => verify(over));
  expect(error).toBeInstanceOf(RequestError);
  const refused = error as RequestError;
  expect({ status: refused.status, field: refused.field, message: refused.message }).toEqual({ status: 401, field: sig, message: ZALO_REFUSED_MESSAGE });
  expect(refusalDetail(refused)).toMatch(detail);
  const expected = expectedHex(over.rawBody ?? text.rawBody);
  for (const shown of [refused.message, refusalDetail(refused)]) {
    expect(shown).not.toContain(ZALO_FIXTURE_SECRET);
    if (expected !== undefined) expect(shown).not.toContain(expected);
  }
  return refused;
};

describe('verifyZaloRequest accepts', () => {
  const good = zaloFixtures().filter((fixture) => fixture.name !== 'user_send_text--bad-signature');

  it.each(good.map((fixture) => [fixture.name, fixture] as const))('fixture %s', (_name, fixture) => {
    const time = bodyTime(fixture.rawBody);
    const result = verifyZaloRequest({ rawBody: fixture.rawBody, headers: fixture.headers, secret, now: time + 1000 });
    expect(result).toEqual({ appId: ZALO_FIXTURE_APP_ID, timestamp: time, envelope: JSON.parse(fixture.rawBody) });
  });

  it('covers all 41 signed fixtures', () => expect(good).toHaveLength(41));

  it('a header whose name API Gateway lower-cased', () => {
    expect(verify({ headers: { 'x-zevent-signature': text.headers['X-ZEvent-Signature'] } }).appId).toBe(ZALO_FIXTURE_APP_ID);
  });

  it('a pretty-printed body signed over its own bytes', () => {
    const pretty = JSON.stringify(JSON.parse(text.rawBody), null, 2);
    expect(verify({ rawBody: pretty, headers: signedHeaders(pretty) }).envelope).toEqual(JSON.parse(text.rawBody));
  });

  it('a body with \\u escapes signed over its own bytes', () => {
    const escaped = text.rawBody.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped).not.toBe(text.rawBody);
    expect(verify({ rawBody: escaped, headers: signedHeaders(escaped) }).envelope).toEqual(JSON.parse(text.rawBody));
  });

  it('timestamps exactly at both window edges', () => {
    expect(verify({ now: ts + ZALO_MAX_AGE_MS }).timestamp).toBe(ts);
    expect(verify({ now: ts - ZALO_MAX_SKEW_MS }).timestamp).toBe(ts);
  });

  it('by default accepts up to 26 h past and 10 min ahead, and refuses 1 ms beyond either', () => {
    expect(verify({ now: ts + 26 * HOUR }).timestamp).toBe(ts);
    rejects({ now: ts + 26 * HOUR + 1 }, /old/);
    expect(verify({ now: ts - 10 * MINUTE }).timestamp).toBe(ts);
    rejects({ now: ts - 10 * MINUTE - 1 }, /in the future/);
  });
});

describe('verifyZaloRequest accepts the variants Zalo and its SDKs send', () => {
  const envelope = JSON.parse(text.rawBody) as Record<string, unknown>;
  const hex = text.headers[sig]!.slice('mac='.length);

  it('a bare hex signature and an uppercase one, with or without mac=', () => {
    for (const given of [hex, hex.toUpperCase(), `mac=${hex.toUpperCase()}`]) {
      expect(verify({ headers: { [sig]: given } }).appId, given).toBe(ZALO_FIXTURE_APP_ID);
    }
  });

  it('appId instead of app_id (Journey events)', () => {
    const { app_id: appId, ...rest } = envelope;
    const rawBody = JSON.stringify({ appId, ...rest });
    expect(verify({ rawBody, headers: signedHeaders(rawBody) }).appId).toBe(ZALO_FIXTURE_APP_ID);
  });

  it('a numeric timestamp: its digits as sent are what is hashed', () => {
    const rawBody = text.rawBody.replace(`"timestamp":"${ts}"`, `"timestamp":${ts}`);
    expect(rawBody).not.toBe(text.rawBody);
    const headers = { [sig]: `mac=${createHash('sha256').update(`${ZALO_FIXTURE_APP_ID}${rawBody}${ts}${secret}`).digest('hex')}` };
    expect(verify({ rawBody, headers })).toMatchObject({ appId: ZALO_FIXTURE_APP_ID, timestamp: ts });
  });
});

describe('verifyZaloRequest refuses, always with the same answer', () => {
  it('the deliberately bad fixture', () => {
    const bad = zaloFixture('user_send_text--bad-signature');
    rejects({ rawBody: bad.rawBody, headers: bad.headers, now: bodyTime(bad.rawBody) + 1000 }, /does not match/);
  });

  it('a forged body (one byte changed) under the original header', () => {
    const forged = text.rawBody.replace('#A1024', '#A1025');
    expect(forged).not.toBe(text.rawBody);
    rejects({ rawBody: forged }, /does not match/);
  });

  it('a re-serialised body under the header of the bytes Zalo signed', () => {
    // The fixtures are already compact JSON.stringify output, so re-serialise bodies that are not.
    for (const received of [
      JSON.stringify(JSON.parse(text.rawBody), null, 2),
      text.rawBody.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ]) {
      const reserialised = JSON.stringify(JSON.parse(received));
      expect(reserialised).not.toBe(received);
      rejects({ rawBody: reserialised, headers: signedHeaders(received) }, /does not match/);
    }
  });

  it.each([
    ['no header', {}, /missing/],
    ['an empty header', { 'x-zevent-signature': '' }, /missing/],
    ['a wrong prefix', { 'x-zevent-signature': text.headers[sig]!.replace('mac=', 'sha256=') }, /missing or not 64 hex/],
    ['non-hex garbage', { 'x-zevent-signature': `mac=${'z'.repeat(64)}` }, /missing or not 64 hex/],
    ['a truncated mac', { 'x-zevent-signature': text.headers[sig]!.slice(0, -1) }, /missing or not 64 hex/],
    ['the mac of another body, bare and uppercase', { 'x-zevent-signature': zaloMac(`${text.rawBody} `).slice(4).toUpperCase() }, /does not match/],
  ])('%s', (_case, headers: Record<string, string>, detail) => {
    rejects({ headers }, detail);
  });

  it('the right mac under another key', () => {
    rejects({ secret: 'another-key' }, /does not match/);
  });

  it('a body without app_id/appId or timestamp', () => {
    const envelope = JSON.parse(text.rawBody) as Record<string, unknown>;
    const without = (key: string) => JSON.stringify({ ...envelope, [key]: undefined });
    rejects({ rawBody: without('app_id') }, /app_id/);
    rejects({ rawBody: without('timestamp') }, /timestamp/);
  });

  it.each([
    ['an exponent', '1.767225632e12'],
    ['a fraction', `${ts}.0`],
    ['a negative number', `-${ts}`],
    ['a number past 2^53', '17672256320000000001'],
  ])('a numeric timestamp written with %s (its digits would not be what was signed)', (_case, written) => {
    const rawBody = text.rawBody.replace(`"timestamp":"${ts}"`, `"timestamp":${written}`);
    const headers = { [sig]: createHash('sha256').update(`${ZALO_FIXTURE_APP_ID}${rawBody}${written}${secret}`).digest('hex') };
    rejects({ rawBody, headers }, /timestamp/);
  });

  it('a stale timestamp (27 h old), saying how stale in the log only', () => {
    rejects({ now: ts + 27 * HOUR }, /27 h 0 min old/);
    rejects({ now: ts + ZALO_MAX_AGE_MS + 1 }, /old/);
  });

  it('a timestamp 11 min in the future', () => {
    rejects({ now: ts - 11 * MINUTE }, /11 min in the future/);
  });

  it('outside a custom window', () => {
    rejects({ now: ts + 2 * HOUR, windowMs: { past: HOUR, future: 0 } }, /old/);
  });

  it('a bad signature before judging freshness', () => {
    rejects({ headers: {}, now: ts + 27 * HOUR }, /missing/);
  });

  it('an unsigned body before any schema parsing (a malformed event is still 401)', () => {
    const noMsgId = text.rawBody.replace('"msg_id"', '"msg_ix"');
    rejects({ rawBody: noMsgId }, /does not match/);
    expect(verify({ rawBody: noMsgId, headers: signedHeaders(noMsgId) }).appId).toBe(ZALO_FIXTURE_APP_ID);
  });

  it.each([['{"app_id":'], [''], ['not json'], ['[]'], ['null'], ['42'], ['"text"']])(
    'malformed or non-object JSON %j (nothing in it can be signed)',
    (rawBody) => {
      rejects({ rawBody }, /JSON/);
    },
  );
});
