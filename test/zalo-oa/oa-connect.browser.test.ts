/**
 * OA access through the local stack's HTTP layer against the fake Zalo (infra/fakes/zalo-api.ts): the
 * tenant's connection link, the connect redirect and its browser cookie, the consent page, the callback (single-use state bound to the
 * browser, OA identity only from Zalo's answer, nothing saved on any failure), tokens sealed at rest, the
 * hourly refresh and a revocation shown in the OA's state view, and no token in any log line.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../../infra/fakes/zalo-api';
import { oauthTokenKey, TokenRecordSchema } from '../../lib/table/oauth';
import { LOCAL_DEV_TOKEN_KEY, tokenKey } from '../../lib/seal';
import { issueState } from '../../lib/zalo-oa/oauth-state';
import { openAccessToken, openRefreshToken } from '../../lib/zalo-oa/tokens';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { API_KEY, documentClient, readApi, useStack } from '../support/stack';
import { browserGet, connectLink, connectOa, startFlow as startFlowAt } from './flow';

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
  fake = await startFakeZalo({ apps: { [ZALO_FIXTURE_APP_ID]: APP_SECRET } });
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
beforeEach(() => fake.setSwitches({ getoa: undefined, tokenWithoutAccessToken: undefined }));

const get = (url: string, cookie?: string) => browserGet(stack(), url, cookie);

const tokenItem = async (oaId: string) => {
  const item = (await documentClient(stack().endpoint).send(new GetCommand({ TableName: stack().tables.Messages, Key: oauthTokenKey('default', oaId), ConsistentRead: true }))).Item;
  return item ? v.parse(TokenRecordSchema, item) : undefined;
};

const startFlow = (oaId: string) => startFlowAt(stack(), fake, oaId);
const connect = (oaId: string) => connectOa(stack(), fake, oaId);

const exchanges = () => fake.requests.filter((r) => r.grantType === 'authorization_code').length;

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
  it('redirects to Zalo\'s consent page with the fixed local callback URL (never the Host header), a state, a PKCE challenge and an HttpOnly SameSite=Lax cookie', async () => {
    const response = await fetch(`${stack().url}${await connectLink(stack())}`, { redirect: 'manual', headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'javascript' } });
    const consentUrl = new URL(response.headers.get('location')!);
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${fake.url}/v4/oa/permission`);
    expect(consentUrl.searchParams.get('app_id')).toBe(ZALO_FIXTURE_APP_ID);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`http://localhost:${new URL(stack().url).port}/zalo/oa-callback`);
    expect(consentUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^zalo_oa_flow=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=900; HttpOnly; SameSite=Lax$/);
    expect(cookie).not.toContain('Secure'); // plain-http localhost only; see the unit test for https
  });

  it('the callback exchanges the code, stores the tokens sealed under the tenant, clears the cookie and shows a result page', async () => {
    const { callback } = await connect(OA);
    expect(callback.status).toBe(200);
    expect(callback.text).toContain(`Official Account ${OA} is connected`);
    expect(callback.setCookie).toMatch(/^zalo_oa_flow=; Path=\/; Max-Age=0/);
    const record = (await tokenItem(OA))!;
    expect(record).toMatchObject({ tenant: 'default', oaId: OA, appId: ZALO_FIXTURE_APP_ID });
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
    ['well signed but never issued (no stored flow)', issueState(STATE_SECRET, ZALO_FIXTURE_APP_ID, Date.now()), 403],
  ])('refuses a %s state (%s) with %i, without calling Zalo or storing', async (_name, state, status) => {
    const oaId = `9${String(status)}${Math.floor(Math.random() * 1e9)}`;
    const { cookie } = await startFlow(OA);
    const calls = fake.requests.length;
    const answer = await get(`/zalo/oa-callback?oa_id=${oaId}&code=${fake.consent(oaId)}&state=${encodeURIComponent(state)}`, cookie);
    expect(answer.status).toBe(status);
    expect(answer.type).toContain('text/html');
    expect(fake.requests.length).toBe(calls);
    expect(await tokenItem(oaId)).toBeUndefined();
  });

  it('a replayed state is refused (403) even with a fresh code for another OA: nothing exchanged, nothing stored', async () => {
    const first = await connect('1000000000000000001');
    expect(first.callback.status).toBe(200);
    const before = exchanges();
    const replay = await get(`/zalo/oa-callback?oa_id=1000000000000000002&code=${encodeURIComponent(fake.consent('1000000000000000002'))}&state=${encodeURIComponent(first.state)}`, first.cookie);
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('already used');
    expect(exchanges()).toBe(before);
    expect(await tokenItem('1000000000000000002')).toBeUndefined();
  });

  it('a state from another browser (no cookie, or another flow\'s cookie) is refused without using it up: the right browser still connects', async () => {
    const victim = await startFlow('1000000000000000003');
    const attacker = await startFlow('1000000000000000004');
    const before = exchanges();
    const noCookie = await get(victim.callbackUrl);
    expect(noCookie.status).toBe(403);
    expect(noCookie.text).toContain('another browser');
    const otherCookie = await get(victim.callbackUrl, attacker.cookie);
    expect(otherCookie.status).toBe(403);
    expect(exchanges()).toBe(before);
    expect(await tokenItem('1000000000000000003')).toBeUndefined();
    expect((await get(victim.callbackUrl, victim.cookie)).status).toBe(200);
    expect(await tokenItem('1000000000000000003')).toBeDefined();
  });

  it.each(['error', 'no-oa-id', 'http-500'] as const)('getoa failing (%s) saves nothing and leaves a good connection as it was', async (mode) => {
    const good = await connect('1000000000000000005');
    expect(good.callback.status).toBe(200);
    const stored = await tokenItem('1000000000000000005');
    fake.setSwitches({ getoa: mode });
    const failed = await connect('1000000000000000005');
    expect(failed.callback.status).toBe(502);
    expect(failed.callback.text).toContain('nothing was saved');
    expect(await tokenItem('1000000000000000005')).toEqual(stored);
    const fresh = await connect('1000000000000000006');
    expect(fresh.callback.status).toBe(502);
    expect(await tokenItem('1000000000000000006')).toBeUndefined();
  });

  it('an OAuth answer without access_token (HTTP 200, only error_name/error_description) is a failure and saves nothing', async () => {
    fake.setSwitches({ tokenWithoutAccessToken: true });
    const { callback } = await connect('1000000000000000007');
    expect(callback.status).toBe(502);
    expect(callback.text).toContain('Zalo refused the authorization');
    expect(await tokenItem('1000000000000000007')).toBeUndefined();
  });

  it('a code Zalo refuses is a 502 page and stores nothing', async () => {
    const flow = await startFlow('1000000000000000008');
    const url = new URL(flow.callbackUrl);
    url.searchParams.set('code', 'code-never-issued');
    const answer = await get(url.toString(), flow.cookie);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain('-14019');
    expect(await tokenItem('1000000000000000008')).toBeUndefined();
  });

  it('an oa_id that is not the OA Zalo issued the tokens for is refused (403) and nothing is stored', async () => {
    const flow = await startFlow('1000000000000000009');
    const url = new URL(flow.callbackUrl);
    url.searchParams.set('oa_id', '1000000000000000010');
    expect((await get(url.toString(), flow.cookie)).status).toBe(403);
    expect(await tokenItem('1000000000000000010')).toBeUndefined();
    expect(await tokenItem('1000000000000000009')).toBeUndefined();
  });

  it('an app the tenant does not have gets no link (404), and the connect step without a link is refused, with no cookie', async () => {
    const link = await fetch(`${stack().url}/api/zalo/oa-connect-links`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: '{"appId":"999"}' });
    expect(link.status).toBe(404);
    const answer = await get('/zalo/oa-connect?app_id=999');
    expect(answer.status).toBe(403);
    expect(answer.setCookie).toBeNull();
  });
});

describe('the hourly refresh (scheduled handler) and revocation', () => {
  it('refreshes a token expiring soon with the single-use refresh token, and leaves fresh ones alone', async () => {
    fake.expiresIn = '3600'; // connect with a token that expires within the refresh window
    await connect('1000000000000000011');
    fake.expiresIn = '90000';
    const before = (await tokenItem('1000000000000000011'))!;
    const spent = fake.refreshOf.get('1000000000000000011');
    const { handler } = await import('../../functions/zalo-token-refresh');
    const summary = await handler();
    expect(summary).toMatchObject({ refreshed: 1, failed: 0, disconnected: 0 });
    const after = (await tokenItem('1000000000000000011'))!;
    expect(after.ver).toBe(before.ver + 1);
    expect(after.leaseId).toBeUndefined();
    expect(openRefreshToken(tokenKey(LOCAL_DEV_TOKEN_KEY), after)).toBe(fake.refreshOf.get('1000000000000000011'));
    expect(fake.refreshOf.get('1000000000000000011')).not.toBe(spent);
    expect(after.accessExpiresAt - Date.now()).toBeGreaterThan(24 * 3_600_000);
    expect(await handler()).toMatchObject({ due: 0, refreshed: 0 });
  });

  it('revoked access: the refresh is refused, the OA is marked disconnected, never refreshed again, and its state view says so', async () => {
    fake.expiresIn = '3600';
    await connect('1000000000000000012');
    fake.expiresIn = '90000';
    const view = async () => (await readApi<{ state: { connection: Record<string, unknown> } }>(stack(), '/api/oa/1000000000000000012/state')).body.state.connection;
    expect(await view()).toMatchObject({ connected: true, revokedAt: null });
    fake.revoke('1000000000000000012');
    const { handler } = await import('../../functions/zalo-token-refresh');
    expect(await handler()).toMatchObject({ disconnected: 1, refreshed: 0 });
    const refreshes = fake.requests.filter((r) => r.grantType === 'refresh_token').length;
    expect(await handler()).toMatchObject({ due: 0 });
    expect(fake.requests.filter((r) => r.grantType === 'refresh_token').length).toBe(refreshes);
    expect(await view()).toMatchObject({ connected: false, revokedReason: 'refresh refused (-14014)' });
    expect((await view()).revokedAt).toEqual(expect.any(String));
    // Connecting again clears the revocation.
    expect((await connect('1000000000000000012')).callback.status).toBe(200);
    expect(await view()).toMatchObject({ connected: true, revokedAt: null });
  });
});

describe('logs', () => {
  it('were captured (the flow logged), and no token, cookie or secret appears in any line', () => {
    const text = captured.join('');
    expect(text).toContain('zalo oa connected');
    expect(text).toContain('zalo token refresh');
    expect(fake.issued.length).toBeGreaterThan(6);
    for (const secret of [...fake.issued, APP_SECRET, STATE_SECRET]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/zalo_oa_flow=[A-Za-z0-9_-]{43}/);
  });
});
