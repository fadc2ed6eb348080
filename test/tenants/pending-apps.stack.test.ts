/**
 * The eTelecom guide's order, end to end through HTTP: the partner's app is registered without its OA
 * Secret Key, Zalo starts sending (20 signed events and 3 forged ones, all answered 200 pending), the key
 * is configured, and the drain verifies each kept request as of its arrival, ingests the 20 in order and
 * discards the 3; the follower list is what the follow/unfollow sequence says. What comes after a source
 * network's share of a pending app's cap is dropped (still 200, kept:false).
 */
import { describe, expect, it } from 'vitest';
import { useStack, postJson } from '../support/stack';
import { signed, type SignedRequest } from '../zalo/client';
import { call, onboard, TENANT_ENV, type Onboarded } from './admin-client';

/** What one source network may keep of a pending app: a tenth of ZALO_PENDING_CAP (every request here comes from 127.0.0.1). */
const CAP = 30;
const stack = useStack({ env: { ...TENANT_ENV, ZALO_PENDING_CAP: String(CAP * 10) }, aggregator: false });

const APP = '9100000000000000001';
const FULL_APP = '9100000000000000002';
const OA = '9200000000000000001';
const SECRET = 'acme-oa-secret-key';

const event = (appId: string, at: number, name: string, user: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  app_id: appId, oa_id: OA, user_id_by_app: `8${user}`, event_name: name, timestamp: String(at),
  ...(name === 'follow' || name === 'unfollow' ? { follower: { id: user }, source: 'oa_profile' } : { sender: { id: user }, recipient: { id: OA } }),
  ...extra,
});
const text = (appId: string, at: number, user: string, msgId: string) =>
  event(appId, at, 'user_send_text', user, { message: { text: `hello ${msgId}`, msg_id: msgId } });
const post = (request: SignedRequest) => postJson(`${stack().url}/zalo/webhook`, request.rawBody, request.headers);

interface FollowersPage { followers: Array<{ userId: string }> }

const keys = new Map<string, string>();
const onboardedKey = async (tenant: string) => keys.get(tenant)!;

describe('a Zalo app registered before its OA Secret Key (pending)', () => {
  let acme: Onboarded;
  const base = Date.now() - 60_000;
  // Follow/unfollow sequences whose outcome depends on order: u1 ends following, u2 not, u3 following.
  const sequence: Array<[string, string]> = [
    ['follow', '5000000000000000001'], ['follow', '5000000000000000002'], ['unfollow', '5000000000000000001'],
    ['follow', '5000000000000000003'], ['follow', '5000000000000000001'], ['unfollow', '5000000000000000002'],
  ];
  const genuine = [
    ...sequence.map(([name, user], i) => signed(event(APP, base + i * 1000, name, user), undefined, SECRET)),
    ...Array.from({ length: 14 }, (_, i) => signed(text(APP, base + 10_000 + i * 1000, '5000000000000000003', `pendmsg${String(i).padStart(12, '0')}`), undefined, SECRET)),
  ];
  const forged = [
    signed(text(APP, base + 30_000, '5000000000000000004', 'forged0000000000001'), undefined, 'not-the-key'),
    { ...signed(text(APP, base + 31_000, '5000000000000000004', 'forged0000000000002'), undefined, SECRET), rawBody: text(APP, base + 31_000, '5000000000000000004', 'forged0000000000002').replace('hello', 'HELLO') },
    { rawBody: text(APP, base + 32_000, '5000000000000000004', 'forged0000000000003'), headers: { 'Content-Type': 'application/json' } },
  ];

  it('registering the app without a key answers 201 pending; another tenant cannot claim it (409)', async () => {
    acme = await onboard(stack(), 'acme');
    keys.set('beta', (await onboard(stack(), 'beta')).key);
    expect(await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${APP}`, { body: {} })).toMatchObject({ status: 201, body: { ok: true, pending: true } });
    expect((await call(stack(), 'PUT', `/api/admin/tenants/beta/zalo-apps/${APP}`, { body: { oaSecretKey: 'x' } })).status).toBe(409);
  });

  it('20 signed and 3 forged requests are all answered 200 pending; an unregistered app is 401', async () => {
    const requests = [...genuine.slice(0, 10), forged[0]!, ...genuine.slice(10, 17), forged[1]!, forged[2]!, ...genuine.slice(17)];
    for (const request of requests) expect(await post(request)).toEqual({ status: 200, body: { ok: true, pending: true } });
    expect((await post(signed(text('9100000000000000999', Date.now(), '5000000000000000003', 'nobody000000000001'), undefined, SECRET))).status).toBe(401);
    // Nothing was ingested yet: the tenant has never seen the OA.
    expect((await call(stack(), 'GET', `/api/oa/${OA}/followers`, { key: acme.key })).status).toBe(404);
  });

  it('configuring the key drains: 20 ingested, 3 discarded (order: test/tenants/drain.test.ts); followers are u1 and u3', async () => {
    const answer = await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${APP}`, { body: { oaSecretKey: SECRET } });
    expect(answer).toMatchObject({ status: 200, body: { pending: false, drain: { ingested: 20, discarded: 3, incomplete: false } } });
    const followers = await call<FollowersPage>(stack(), 'GET', `/api/oa/${OA}/followers`, { key: acme.key });
    expect(followers.body.followers.map((follower) => follower.userId).sort()).toEqual(['5000000000000000001', '5000000000000000003']);
    for (let i = 0; i < 14; i += 1) {
      expect((await call(stack(), 'GET', `/api/zalo/messages/pendmsg${String(i).padStart(12, '0')}`, { key: acme.key })).status).toBe(200);
    }
    expect((await call(stack(), 'GET', '/api/zalo/messages/forged0000000000001', { key: acme.key })).status).toBe(404);
    const beta = await onboardedKey('beta');
    expect((await call(stack(), 'GET', `/api/oa/${OA}/followers`, { key: beta })).status).toBe(404);
  });

  it('a rerun of the drain finds nothing left and counts nothing twice; the next event is verified live', async () => {
    expect(await call(stack(), 'POST', `/api/admin/tenants/acme/zalo-apps/${APP}/drain`)).toMatchObject({ status: 200, body: { drain: { ingested: 20, discarded: 3, incomplete: false } } });
    expect(await post(signed(text(APP, Date.now(), '5000000000000000003', 'livemsg00000000001'), undefined, SECRET))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect((await post(signed(text(APP, Date.now(), '5000000000000000003', 'livemsg00000000002'), undefined, 'wrong'))).status).toBe(401);
  });

  it(`a network's share of the cap: the ${CAP + 1}st request from one network is not kept (200, kept:false), and the ${CAP} kept ones drain`, async () => {
    expect((await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${FULL_APP}`, { body: {} })).status).toBe(201);
    const at = Date.now() - 30_000;
    for (let i = 0; i < CAP; i += 1) {
      expect(await post(signed(text(FULL_APP, at + i, '5000000000000000005', `capmsg${String(i).padStart(12, '0')}`), undefined, SECRET))).toEqual({ status: 200, body: { ok: true, pending: true } });
    }
    expect(await post(signed(text(FULL_APP, at + CAP, '5000000000000000005', 'capmsgover00000001'), undefined, SECRET))).toEqual({ status: 200, body: { ok: true, pending: true, kept: false } });
    const answer = await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${FULL_APP}`, { body: { oaSecretKey: SECRET } });
    expect(answer).toMatchObject({ status: 200, body: { drain: { ingested: CAP, discarded: 0, incomplete: false } } });
    expect((await call(stack(), 'GET', '/api/zalo/messages/capmsgover00000001', { key: acme.key })).status).toBe(404);
  });
});
