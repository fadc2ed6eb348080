/**
 * OA onboarding through the local stack's HTTP layer against a fake Zalo OAuth server: the connect
 * redirect, the callback's state check and code exchange, tokens sealed at rest, the hourly refresh
 * (the scheduled handler module), the domain-verification page, and no token in any log line.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEV_TOKEN_KEY, tokenKey } from '../../lib/zalo/crypto';
import { issueState } from '../../lib/zalo/oauth-state';
import { openAccessToken, openRefreshToken } from '../../lib/zalo/tokens';
import { oauthTokenKey, TokenRecordSchema } from '../../lib/table/oauth';
import * as v from 'valibot';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { documentClient, useStack } from '../support/stack';
import { startFakeZalo, type FakeZalo } from './fake-zalo';

const APP_SECRET = 'test-app-secret';
const STATE_SECRET = 'test-state-secret';
const OA = '1397492183140006179';
const SITE_CODES = ['AbC123-verify', 'x"><script>alert(1)</script>'];

// Everything any code in this process writes (Powertools' Logger writes to process.stdout/stderr),
// kept instead of printed.
const captured: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const capture = ((chunk: unknown, ...rest: unknown[]) => {
  captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
  done?.();
  return true;
}) as typeof process.stdout.write;

let fake: FakeZalo;
beforeAll(async () => {
  fake = await startFakeZalo({ [ZALO_FIXTURE_APP_ID]: APP_SECRET });
  // Set before the stack starts: the handlers read their settings on first import.
  process.env.ZALO_OAUTH_BASE_URL = fake.url;
  process.env.ZALO_OPENAPI_BASE_URL = fake.url;
  process.stdout.write = capture;
  process.stderr.write = capture;
});
const stack = useStack({
  env: {
    ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: APP_SECRET }),
    ZALO_STATE_SECRET: STATE_SECRET,
    ZALO_TOKEN_KEY: LOCAL_DEV_TOKEN_KEY,
    ZALO_SITE_VERIFICATION: SITE_CODES.join(','),
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  },
});
afterAll(async () => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  await fake.close();
});

const get = async (path: string) => {
  const response = await fetch(`${stack().url}${path}`, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), type: response.headers.get('content-type'), text: await response.text() };
};

const tokenItem = async (oaId: string) => {
  const item = (await documentClient(stack().endpoint).send(new GetCommand({ TableName: stack().tables.Messages, Key: oauthTokenKey(oaId) }))).Item;
  return item ? v.parse(TokenRecordSchema, item) : undefined;
};

/** The connect redirect, the admin's consent at the fake, and the callback Zalo would then call. */
const connect = async (oaId: string, callbackOaId = oaId) => {
  const start = await get(`/zalo/oa-connect?app_id=${ZALO_FIXTURE_APP_ID}`);
  expect(start.status).toBe(302);
  const consentUrl = new URL(start.location!);
  const state = consentUrl.searchParams.get('state')!;
  const code = fake.consent(oaId, consentUrl.searchParams.get('code_challenge')!);
  return { consentUrl, state, code, callback: await get(`/zalo/oa-callback?oa_id=${callbackOaId}&code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`) };
};

describe('GET /: Zalo domain verification', () => {
  it('serves one escaped meta tag per configured code in the head', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    const head = page.text.slice(0, page.text.indexOf('</head>'));
    expect(head.match(/<meta name="zalo-platform-site-verification"/g)).toHaveLength(2);
    expect(head).toContain('<meta name="zalo-platform-site-verification" content="AbC123-verify">');
    expect(head).toContain('content="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.text).not.toContain('<script>');
  });
});

describe('connecting an OA', () => {
  it('redirects to Zalo\'s OA consent page with app_id, our callback URL, a state and a PKCE challenge', async () => {
    const { consentUrl } = await connect(OA);
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${fake.url}/v4/oa/permission`);
    expect(consentUrl.searchParams.get('app_id')).toBe(ZALO_FIXTURE_APP_ID);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${stack().url}/zalo/oa-callback`);
    expect(consentUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the callback exchanges the code, stores the tokens sealed, and shows a result page', async () => {
    const { callback } = await connect(OA);
    expect(callback.status).toBe(200);
    expect(callback.text).toContain(`Official Account ${OA} is connected`);
    const record = (await tokenItem(OA))!;
    expect(record).toMatchObject({ oaId: OA, appId: ZALO_FIXTURE_APP_ID, verified: true });
    expect(record.accessExpiresAt - Date.now()).toBeGreaterThan(24 * 3_600_000);
    // At rest: neither token appears; both open with the key to exactly what Zalo issued.
    const raw = JSON.stringify(record);
    for (const issued of fake.issued) expect(raw).not.toContain(issued);
    expect(openRefreshToken(tokenKey(LOCAL_DEV_TOKEN_KEY), record)).toBe(fake.refreshOf.get(OA));
    expect(fake.issued).toContain(openAccessToken(tokenKey(LOCAL_DEV_TOKEN_KEY), record));
  });

  it.each([
    ['missing', '', 400],
    ['forged', `${Buffer.from(JSON.stringify({ a: ZALO_FIXTURE_APP_ID, n: 'x', e: Date.now() + 60_000 })).toString('base64url')}.${'A'.repeat(43)}`, 401],
    ['signed with another secret', issueState('another-secret', ZALO_FIXTURE_APP_ID, Date.now()), 401],
    ['expired', issueState(STATE_SECRET, ZALO_FIXTURE_APP_ID, Date.now() - 16 * 60_000), 401],
    ['truncated', issueState(STATE_SECRET, ZALO_FIXTURE_APP_ID, Date.now()).slice(0, -2), 401],
  ])('refuses a %s state (%s) with %i, without calling Zalo or storing', async (_name, state, status) => {
    const oaId = `oa-state-${status}-${Math.random()}`;
    const calls = fake.requests.length;
    const code = fake.consent(oaId);
    const answer = await get(`/zalo/oa-callback?oa_id=${oaId}&code=${code}&state=${encodeURIComponent(state)}`);
    expect(answer.status).toBe(status);
    expect(answer.type).toContain('text/html');
    expect(fake.requests.length).toBe(calls);
    expect(await tokenItem(oaId)).toBeUndefined();
  });

  it('a code Zalo refuses (already used) is a 502 page and stores nothing new', async () => {
    const first = await connect('oa-reused');
    const before = await tokenItem('oa-reused');
    const again = await get(`/zalo/oa-callback?oa_id=oa-reused&code=${encodeURIComponent(first.code)}&state=${encodeURIComponent(first.state)}`);
    expect(again.status).toBe(502);
    expect(again.text).toContain('-14019');
    expect(await tokenItem('oa-reused')).toEqual(before);
  });

  it('an oa_id that is not the OA Zalo issued the tokens for is refused (403) and nothing is stored', async () => {
    const { callback } = await connect('oa-real', 'oa-victim');
    expect(callback.status).toBe(403);
    expect(await tokenItem('oa-victim')).toBeUndefined();
  });

  it('an unknown app is refused at the connect step', async () => {
    expect((await get('/zalo/oa-connect?app_id=999')).status).toBe(400);
  });
});

describe('the hourly refresh (scheduled handler)', () => {
  it('refreshes a token expiring soon with the single-use refresh token, and leaves fresh ones alone', async () => {
    fake.expiresIn = '3600'; // connect with a token that expires within the refresh window
    await connect('oa-soon');
    fake.expiresIn = '90000';
    const before = (await tokenItem('oa-soon'))!;
    const spent = fake.refreshOf.get('oa-soon');
    const { handler } = await import('../../functions/zalo-token-refresh');
    const summary = await handler();
    expect(summary).toMatchObject({ refreshed: 1, failed: 0 });
    const after = (await tokenItem('oa-soon'))!;
    expect(after.ver).toBe(before.ver + 1);
    expect(openRefreshToken(tokenKey(LOCAL_DEV_TOKEN_KEY), after)).toBe(fake.refreshOf.get('oa-soon'));
    expect(fake.refreshOf.get('oa-soon')).not.toBe(spent);
    expect(after.accessExpiresAt - Date.now()).toBeGreaterThan(24 * 3_600_000);
    expect(await handler()).toMatchObject({ due: 0, refreshed: 0 });
  });
});

describe('logs', () => {
  it('were captured (the flow logged), and no token or secret appears in any line', () => {
    const text = captured.join('');
    expect(text).toContain('zalo oa connected');
    expect(text).toContain('zalo token refresh');
    expect(fake.issued.length).toBeGreaterThan(6);
    for (const secret of [...fake.issued, APP_SECRET, STATE_SECRET]) expect(text).not.toContain(secret);
  });
});
