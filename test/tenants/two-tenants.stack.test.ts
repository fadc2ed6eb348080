/**
 * Two tenants created through the admin API share one deployment: each has its own eSMS token and API key,
 * they receive interleaved callbacks (the same SMSID on both sides among them), and each key reads only its
 * own tenant's messages and report; the admin key reads either with tenant=. Keys and tokens take effect
 * (and a revoked key stops working) on the very next request, without a restart.
 */
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { getJson, postJson, useStack, API_KEY } from '../support/stack';
import { signed } from '../zalo/client';
import { call, onboard, TENANT_ENV, type Onboarded } from './admin-client';

// A one-second TTL, so the revoked token's cache entry runs out within the test.
const stack = useStack({ env: { ...TENANT_ENV, REGISTRY_CACHE_SECONDS: '1' }, aggregator: { batchWindowMs: 50 } });

const SHARED = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const callback = (smsId: string, phone: string, status: number, price: string) =>
  `SMSID=${smsId}&SendFailed=0&SendStatus=${status}&SendSuccess=${status === 5 ? 1 : 0}&TotalPrice=${price}&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=${phone}`;
const send = (url: string, query: string) => getJson(`${url}?${query}`);
const read = <T = Record<string, unknown>>(path: string, key: string) => getJson<T>(`${stack().url}${path}`, { authorization: `Bearer ${key}` });

interface MessageView { message: { smsId: string; phone: string | null; price: number; recipients: Array<{ phone: string | null }> } }
interface Row { group: string; requests: number; price: number }

describe('two tenants on one deployment', () => {
  let acme: Onboarded;
  let beta: Onboarded;

  it('tenants, keys and tokens are created through the admin API; the token\'s callback URLs are the five routes', async () => {
    acme = await onboard(stack(), 'acme');
    beta = await onboard(stack(), 'beta');
    expect(acme.callbackUrls).toEqual(Object.fromEntries(['sms', 'viber', 'zns', 'zalo', 'journey'].map((route) => [route, `${stack().url}/esms/${acme.token}/${route}`])));
    expect(acme.key).not.toEqual(beta.key);
    expect((await call(stack(), 'POST', '/api/admin/tenants', { body: { id: 'acme', name: 'again' } })).status).toBe(409);
    const listed = await call<{ tenants: Array<{ id: string }> }>(stack(), 'GET', '/api/admin/tenants');
    expect(listed.body.tenants.map((tenant) => tenant.id)).toEqual(['acme', 'beta']);
  });

  it('a new token works on the very next request (no restart), and a made-up one of the same shape is 404', async () => {
    expect(await send(acme.callbackUrls.sms!, callback('acme-first', '0901000001', 5, '100.0000'))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    const forged = acme.token.slice(0, -4) + (acme.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await send(`${stack().url}/esms/${forged}/sms`, callback('forged', '0901000009', 5, '1.0000'))).status).toBe(404);
  });

  it('interleaved traffic, the same SMSID on both sides: each key sees only its own message; the other\'s SMSID is 404', async () => {
    for (let i = 0; i < 20; i += 1) {
      await send(acme.callbackUrls.sms!, callback(`acme-${i}`, '0901000001', 5, '100.0000'));
      await send(beta.callbackUrls.sms!, callback(`beta-${i}`, '0902000002', 5, '300.0000'));
    }
    await send(acme.callbackUrls.sms!, callback(SHARED, '0901111111', 5, '111.0000'));
    await send(beta.callbackUrls.sms!, callback(SHARED, '0902222222', 5, '222.0000'));
    const mine = await read<MessageView>(`/api/esms/messages/${SHARED}`, acme.key);
    const theirs = await read<MessageView>(`/api/esms/messages/${SHARED}`, beta.key);
    expect(mine.body.message.recipients.map((recipient) => recipient.phone)).toEqual(['0901111111']);
    expect(theirs.body.message.recipients.map((recipient) => recipient.phone)).toEqual(['0902222222']);
    expect((await read('/api/esms/messages/beta-3', acme.key)).status).toBe(404);
    expect((await read('/api/esms/messages/acme-3', beta.key)).status).toBe(404);
    expect((await read('/api/esms/messages/acme-3', API_KEY)).status).toBe(404); // the environment's key is the tenant default
  });

  it('each tenant\'s own Zalo app: the same msg_id and OA on both sides, each key sees only its own events and followers', async () => {
    const OA = '9700000000000000001';
    const apps = { acme: ['9700000000000000011', 'acme-oa-secret'], beta: ['9700000000000000022', 'beta-oa-secret'] } as const;
    for (const [tenant, [appId, secret]] of Object.entries(apps)) {
      expect((await call(stack(), 'PUT', `/api/admin/tenants/${tenant}/zalo-apps/${appId}`, { body: { oaSecretKey: secret } })).status).toBe(201);
    }
    const post = async (appId: string, secret: string, envelope: Record<string, unknown>) => {
      const body = JSON.stringify({ app_id: appId, oa_id: OA, timestamp: String(Date.now()), ...envelope });
      return postJson(`${stack().url}/zalo/webhook`, body, signed(body, undefined, secret).headers);
    };
    const [acmeApp, acmeSecret] = apps.acme;
    const [betaApp, betaSecret] = apps.beta;
    expect((await post(acmeApp, acmeSecret, { event_name: 'user_send_text', sender: { id: '5700000000000000001' }, recipient: { id: OA }, message: { text: 'a', msg_id: 'samemsg00000000001' } })).body).toEqual({ ok: true, duplicate: false });
    expect((await post(betaApp, betaSecret, { event_name: 'user_send_text', sender: { id: '5700000000000000002' }, recipient: { id: OA }, message: { text: 'b', msg_id: 'samemsg00000000001' } })).body).toEqual({ ok: true, duplicate: false });
    expect((await post(acmeApp, acmeSecret, { event_name: 'follow', follower: { id: '5700000000000000001' }, source: 'oa_profile' })).status).toBe(200);
    expect((await post(betaApp, betaSecret, { event_name: 'follow', follower: { id: '5700000000000000002' }, source: 'oa_profile' })).status).toBe(200);
    // A key of one app cannot sign for the other.
    expect((await post(betaApp, acmeSecret, { event_name: 'follow', follower: { id: '5700000000000000003' }, source: 'oa_profile' })).status).toBe(401);
    type Events = { message: { events: Array<{ userId: string }> } };
    expect((await read<Events>('/api/zalo/messages/samemsg00000000001', acme.key)).body.message.events.map((e) => e.userId)).toEqual(['5700000000000000001']);
    expect((await read<Events>('/api/zalo/messages/samemsg00000000001', beta.key)).body.message.events.map((e) => e.userId)).toEqual(['5700000000000000002']);
    type Followers = { followers: Array<{ userId: string }> };
    expect((await read<Followers>(`/api/oa/${OA}/followers`, acme.key)).body.followers.map((f) => f.userId)).toEqual(['5700000000000000001']);
    expect((await read<Followers>(`/api/oa/${OA}/followers`, beta.key)).body.followers.map((f) => f.userId)).toEqual(['5700000000000000002']);
    expect((await read(`/api/oa/${OA}/followers`, API_KEY)).status).toBe(404);
  });

  it('reports sum only the reader\'s own messages; the admin key reads either tenant with tenant= (400 without)', async () => {
    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const total = async (key: string, extra = '') => {
      const report = await read<{ rows: Row[] }>(`/api/reports/daily?from=${day}&by=channel${extra}`, key);
      return report.body.rows.reduce((sum, row) => ({ requests: sum.requests + row.requests, price: sum.price + row.price }), { requests: 0, price: 0 });
    };
    expect(await total(acme.key)).toEqual({ requests: 22, price: 22 * 100 + 11 });
    expect(await total(beta.key)).toEqual({ requests: 21, price: 20 * 300 + 222 });
    expect(await total(TENANT_ENV.ADMIN_API_KEYS, '&tenant=beta')).toEqual({ requests: 21, price: 20 * 300 + 222 });
    const asAdmin = await read<MessageView>(`/api/esms/messages/${SHARED}?tenant=acme`, TENANT_ENV.ADMIN_API_KEYS);
    expect(asAdmin.body.message.recipients.map((recipient) => recipient.phone)).toEqual(['0901111111']);
    const other = await read<MessageView>(`/api/esms/messages/${SHARED}?tenant=beta`, TENANT_ENV.ADMIN_API_KEYS);
    expect(other.body.message.recipients.map((recipient) => recipient.phone)).toEqual(['0902222222']);
    expect(await read(`/api/esms/messages/${SHARED}`, TENANT_ENV.ADMIN_API_KEYS)).toMatchObject({ status: 400, body: { error: { field: 'tenant' } } });
  });

  it('a tenant key on an admin route is 403, no key or an unknown key 401', async () => {
    expect((await call(stack(), 'GET', '/api/admin/tenants', { key: acme.key })).status).toBe(403);
    expect((await call(stack(), 'POST', '/api/admin/tenants/acme/api-keys', { key: API_KEY })).status).toBe(403);
    expect((await call(stack(), 'GET', '/api/admin/tenants', { key: 'k0123456789abcdef.nope' })).status).toBe(401);
  });

  it('a revoked key fails on the very next request; a revoked token is 404 once the cache TTL has passed', async () => {
    expect((await read(`/api/esms/messages/${SHARED}`, acme.key)).status).toBe(200);
    expect((await call(stack(), 'DELETE', `/api/admin/tenants/beta/api-keys/${acme.keyId}`)).status).toBe(404); // not beta's
    expect((await call(stack(), 'DELETE', `/api/admin/tenants/acme/api-keys/${acme.keyId}`)).status).toBe(200);
    expect((await read(`/api/esms/messages/${SHARED}`, acme.key)).status).toBe(401);
    expect((await read(`/api/esms/messages/${SHARED}`, beta.key)).status).toBe(200);
    expect((await send(acme.callbackUrls.sms!, callback('acme-before-revoke', '0901000001', 5, '1.0000'))).status).toBe(200);
    expect((await call(stack(), 'DELETE', `/api/admin/tenants/acme/esms-tokens/${acme.tokenId}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(acme.callbackUrls.sms!, callback('acme-after-revoke', '0901000001', 5, '1.0000'))).status).toBe(404);
    expect((await send(beta.callbackUrls.sms!, callback('beta-after-revoke', '0902000002', 5, '1.0000'))).status).toBe(200);
  });
});
