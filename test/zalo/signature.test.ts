import { describe, expect, it } from 'vitest';
import { ParseError, RequestError } from '../../lib/errors';
import {
  verifyZaloRequest,
  ZALO_MAX_AGE_MS,
  ZALO_MAX_SKEW_MS,
  type VerifyZaloInput,
} from '../../lib/zalo/signature';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture, zaloFixtures } from '../support/fixtures';
import { bodyTime, signedHeaders, thrown, zaloMac } from './sign';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const secrets = { [ZALO_FIXTURE_APP_ID]: ZALO_FIXTURE_SECRET };
const text = zaloFixture('user_send_text');
const ts = bodyTime(text.rawBody);

const verify = (over: Partial<VerifyZaloInput> = {}) =>
  verifyZaloRequest({ rawBody: text.rawBody, headers: text.headers, secrets, now: ts + 1000, ...over });

const expectedHex = (rawBody: string): string | undefined => {
  try {
    return zaloMac(rawBody).slice('mac='.length);
  } catch {
    return undefined;
  }
};

/** Asserts the rejection's class, status and field, and that it leaks neither key nor expected mac. */
const rejects = (over: Partial<VerifyZaloInput>, status: number, field: string): RequestError => {
  const error = thrown(() => verify(over));
  expect(error).toBeInstanceOf(RequestError);
  const { status: got, field: gotField, message } = error as RequestError;
  expect({ status: got, field: gotField }).toEqual({ status, field });
  expect(message).not.toContain(ZALO_FIXTURE_SECRET);
  const expected = expectedHex(over.rawBody ?? text.rawBody);
  if (expected !== undefined) expect(message).not.toContain(expected);
  return error as RequestError;
};

describe('verifyZaloRequest accepts', () => {
  const good = zaloFixtures().filter((fixture) => fixture.name !== 'user_send_text--bad-signature');

  it.each(good.map((fixture) => [fixture.name, fixture] as const))('fixture %s', (_name, fixture) => {
    const time = bodyTime(fixture.rawBody);
    const result = verifyZaloRequest({ rawBody: fixture.rawBody, headers: fixture.headers, secrets, now: time + 1000 });
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
    rejects({ now: ts + 26 * HOUR + 1 }, 401, 'timestamp');
    expect(verify({ now: ts - 10 * MINUTE }).timestamp).toBe(ts);
    rejects({ now: ts - 10 * MINUTE - 1 }, 401, 'timestamp');
  });
});

describe('verifyZaloRequest refuses', () => {
  const sig = 'X-ZEvent-Signature';

  it('the deliberately bad fixture with 401', () => {
    const bad = zaloFixture('user_send_text--bad-signature');
    rejects({ rawBody: bad.rawBody, headers: bad.headers, now: bodyTime(bad.rawBody) + 1000 }, 401, sig);
  });

  it('a forged body (one byte changed) under the original header', () => {
    const forged = text.rawBody.replace('#A1024', '#A1025');
    expect(forged).not.toBe(text.rawBody);
    rejects({ rawBody: forged }, 401, sig);
  });

  it('a re-serialised body under the header of the bytes Zalo signed', () => {
    // The fixtures are already compact JSON.stringify output, so re-serialise bodies that are not.
    for (const received of [
      JSON.stringify(JSON.parse(text.rawBody), null, 2),
      text.rawBody.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ]) {
      const reserialised = JSON.stringify(JSON.parse(received));
      expect(reserialised).not.toBe(received);
      rejects({ rawBody: reserialised, headers: signedHeaders(received) }, 401, sig);
    }
  });

  it.each([
    ['no header', {}],
    ['an empty header', { 'x-zevent-signature': '' }],
    ['a wrong prefix', { 'x-zevent-signature': text.headers[sig]!.replace('mac=', 'sha256=') }],
    ['uppercase hex', { 'x-zevent-signature': `mac=${text.headers[sig]!.slice(4).toUpperCase()}` }],
    ['non-hex garbage', { 'x-zevent-signature': `mac=${'z'.repeat(64)}` }],
    ['a truncated mac', { 'x-zevent-signature': text.headers[sig]!.slice(0, -1) }],
    ['an HMAC-style bare hex', { 'x-zevent-signature': text.headers[sig]!.slice(4) }],
  ])('%s with 401 on the signature header', (_case, headers: Record<string, string>) => {
    rejects({ headers }, 401, sig);
  });

  it('an unknown app_id, even one signed correctly with some key', () => {
    const other = text.rawBody.replace(ZALO_FIXTURE_APP_ID, '1111111111111111111');
    rejects({ rawBody: other, headers: signedHeaders(other) }, 401, 'app_id');
    rejects({ secrets: {} }, 401, 'app_id');
  });

  it('app_ids that name Object.prototype members', () => {
    for (const appId of ['constructor', '__proto__', 'toString']) {
      const body = text.rawBody.replace(ZALO_FIXTURE_APP_ID, appId);
      rejects({ rawBody: body, headers: signedHeaders(body) }, 401, 'app_id');
    }
  });

  it('a body without app_id or timestamp, naming the missing field', () => {
    const envelope = JSON.parse(text.rawBody) as Record<string, unknown>;
    const without = (key: string) => JSON.stringify({ ...envelope, [key]: undefined });
    rejects({ rawBody: without('app_id') }, 401, 'app_id');
    rejects({ rawBody: without('timestamp') }, 401, 'timestamp');
    rejects({ rawBody: JSON.stringify({ ...envelope, timestamp: ts }) }, 401, 'timestamp');
  });

  it('a stale timestamp (27 h old) with a message saying how stale', () => {
    const error = rejects({ now: ts + 27 * HOUR }, 401, 'timestamp');
    expect(error.message).toMatch(/27 h 0 min old/);
    rejects({ now: ts + ZALO_MAX_AGE_MS + 1 }, 401, 'timestamp');
  });

  it('a timestamp 11 min in the future', () => {
    expect(rejects({ now: ts - 11 * MINUTE }, 401, 'timestamp').message).toMatch(/11 min in the future/);
  });

  it('outside a custom window', () => {
    rejects({ now: ts + 2 * HOUR, windowMs: { past: HOUR, future: 0 } }, 401, 'timestamp');
  });

  it('a bad signature before judging freshness', () => {
    rejects({ headers: {}, now: ts + 27 * HOUR }, 401, sig);
  });

  it('an unsigned body before any schema parsing (a malformed event is still 401)', () => {
    const noMsgId = text.rawBody.replace('"msg_id"', '"msg_ix"');
    rejects({ rawBody: noMsgId }, 401, sig);
    expect(verify({ rawBody: noMsgId, headers: signedHeaders(noMsgId) }).appId).toBe(ZALO_FIXTURE_APP_ID);
  });

  it.each([['{"app_id":'], [''], ['not json'], ['[]'], ['null'], ['42'], ['"text"']])(
    'malformed or non-object JSON %j with 400 on body',
    (rawBody) => {
      const error = rejects({ rawBody }, 400, 'body');
      expect(error).toBeInstanceOf(ParseError);
    },
  );
});
