/**
 * A tenant's lifecycle through HTTP (issue 23): GET …/tenants/{id} lists its credentials (keys, tokens, Zalo
 * apps with whether each has its key, destinations) and no secret, with when each key, token and app was last
 * used; PATCH suspends it: its API keys get 403
 * from the very next request (a key created while suspended too) while the admin key still reads it, and
 * its eSMS callbacks and Zalo events are still answered 200 and stored; resuming restores its keys. DELETE
 * refuses `default` and a missing confirm, stops its key at once and its token within the cache's TTL, and
 * after repeated bounded calls no item of the tenant is left in any table. The other tenant is untouched
 * throughout.
 */
import { describe, expect, it } from 'vitest';
import { documentClient, getJson, postJson, useStack } from '../support/stack';
import { scanAll } from '../support/scan-all';
import { signed } from '../zalo/client';
import { call, onboard, TENANT_ENV, type Onboarded } from './admin-client';

// A one-second registry cache, so a deleted tenant's eSMS token is refused within the test.
const stack = useStack({ env: { ...TENANT_ENV, DESTINATION_ALLOW_LOCAL: 'true', REGISTRY_CACHE_SECONDS: '1', OFFBOARD_SETTLE_SECONDS: '5' }, aggregator: { batchWindowMs: 50 } });

const APP = '9100000000000000071';
const OA = '9200000000000000071';
const SECRET = 'lifecycle-oa-secret-key';
const callback = (smsId: string) => `SMSID=${smsId}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=100.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0901000071`;
const zaloText = (msgId: string) => JSON.stringify({
  app_id: APP, oa_id: OA, user_id_by_app: '85000000000000000071', event_name: 'user_send_text', timestamp: String(Date.now()),
  sender: { id: '5000000000000000071' }, recipient: { id: OA }, message: { text: `hello ${msgId}`, msg_id: msgId },
});
const read = (path: string, key: string) => getJson(`${stack().url}${path}`, { authorization: `Bearer ${key}` });

interface Inventory {
  tenant: { id: string; suspended: boolean };
  credentials: {
    apiKeys: Array<{ keyId: string; createdAt: string; lastUsedAt: string | null }>;
    esmsTokens: Array<{ tokenId: string; lastUsedAt: string | null }>;
    zaloApps: Array<{ appId: string; hasKey: boolean; hasAppSecret: boolean; lastUsedAt: string | null }>;
    destinations: Array<{ id: string; enabled: boolean }>;
  };
}

describe('tenant lifecycle', () => {
  let acme: Onboarded;
  let beta: Onboarded;
  let destination: string;

  it('GET …/tenants/{id}: every credential of the tenant by id, with its created time, and never a secret', async () => {
    acme = await onboard(stack(), 'acme');
    beta = await onboard(stack(), 'beta');
    expect((await call(stack(), 'PUT', `/api/admin/tenants/acme/zalo-apps/${APP}`, { body: { oaSecretKey: SECRET } })).status).toBe(201);
    const created = await postJson<{ id: string }>(`${stack().url}/api/destinations`, JSON.stringify({ url: 'http://127.0.0.1:9/' }), { authorization: `Bearer ${acme.key}`, 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    destination = created.body.id;
    const answer = await call<Inventory>(stack(), 'GET', '/api/admin/tenants/acme');
    expect(answer.status).toBe(200);
    expect(answer.body.tenant).toMatchObject({ id: 'acme', suspended: false });
    expect(answer.body.credentials.apiKeys.map((key) => key.keyId)).toEqual([acme.keyId]);
    expect(answer.body.credentials.apiKeys[0]!.createdAt).toMatch(/\+07:00$/);
    expect(answer.body.credentials.esmsTokens.map((token) => token.tokenId)).toEqual([acme.tokenId]);
    expect(answer.body.credentials.zaloApps).toEqual([expect.objectContaining({ appId: APP, hasKey: true, hasAppSecret: false })]);
    expect(answer.body.credentials.destinations).toEqual([expect.objectContaining({ id: destination, enabled: true })]);
    const text = JSON.stringify(answer.body);
    for (const secret of [acme.key.split('.')[1]!, acme.token.split('.')[1]!, SECRET]) expect(text).not.toContain(secret);
    // Nothing listens on port 9: disabled, so the callbacks below queue no delivery (events are still logged).
    const patched = await fetch(`${stack().url}/api/destinations/${destination}`, {
      method: 'PATCH', body: JSON.stringify({ enabled: false }), headers: { authorization: `Bearer ${acme.key}`, 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(200);
    // A revoked key leaves the inventory with its index entry.
    const extra = await call<{ keyId: string }>(stack(), 'POST', '/api/admin/tenants/acme/api-keys');
    expect((await call(stack(), 'DELETE', `/api/admin/tenants/acme/api-keys/${extra.body.keyId}`)).status).toBe(200);
    expect((await call<Inventory>(stack(), 'GET', '/api/admin/tenants/acme')).body.credentials.apiKeys.map((key) => key.keyId)).toEqual([acme.keyId]);
    expect((await call(stack(), 'GET', '/api/admin/tenants/nobody')).status).toBe(404);
    expect((await call(stack(), 'GET', '/api/admin/tenants/acme', { key: acme.key })).status).toBe(403);
  });

  it('lastUsedAt: after a read call with a key, an eSMS callback with a token and a signed webhook of an app, the inventory shows when (+07:00); an unused key is null', async () => {
    const unused = await call<{ keyId: string }>(stack(), 'POST', '/api/admin/tenants/beta/api-keys');
    const before = await call<Inventory>(stack(), 'GET', '/api/admin/tenants/beta');
    expect(before.body.credentials.apiKeys.map((key) => key.lastUsedAt)).toEqual([null, null]);
    expect(before.body.credentials.esmsTokens.map((token) => token.lastUsedAt)).toEqual([null]);
    const from = Date.now();
    expect((await read('/api/destinations', beta.key)).status).toBe(200);
    expect(await getJson(`${beta.callbackUrls.sms}?${callback('lastused-sms-1')}`)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    const zalo = signed(zaloText('lastusedmsg0000001'), undefined, SECRET);
    expect((await postJson(`${stack().url}/zalo/webhook`, zalo.rawBody, zalo.headers)).status).toBe(200);
    const to = Date.now();
    const within = (iso: string | null | undefined) => {
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+07:00$/);
      const at = Date.parse(iso!);
      expect(at).toBeGreaterThanOrEqual(from - 1000);
      expect(at).toBeLessThanOrEqual(to + 1000);
    };
    const after = (await call<Inventory>(stack(), 'GET', '/api/admin/tenants/beta')).body.credentials;
    within(after.apiKeys.find((key) => key.keyId === beta.keyId)?.lastUsedAt);
    expect(after.apiKeys.find((key) => key.keyId === unused.body.keyId)?.lastUsedAt).toBeNull();
    within(after.esmsTokens[0]!.lastUsedAt);
    const acmeApps = (await call<Inventory>(stack(), 'GET', '/api/admin/tenants/acme')).body.credentials.zaloApps;
    within(acmeApps[0]!.lastUsedAt);
    // A second use within the hour does not move it (one write per credential-hour).
    expect((await read('/api/destinations', beta.key)).status).toBe(200);
    expect((await call<Inventory>(stack(), 'GET', '/api/admin/tenants/beta')).body.credentials.apiKeys.find((key) => key.keyId === beta.keyId)?.lastUsedAt)
      .toBe(after.apiKeys.find((key) => key.keyId === beta.keyId)?.lastUsedAt);
    expect((await call(stack(), 'DELETE', `/api/admin/tenants/beta/api-keys/${unused.body.keyId}`)).status).toBe(200);
  });

  it('PATCH suspended: its keys get 403 at once, the admin key still reads it, its callbacks and Zalo events are still stored', async () => {
    const patched = await call(stack(), 'PATCH', '/api/admin/tenants/acme', { body: { suspended: true } });
    expect(patched).toMatchObject({ status: 200, body: { tenant: { id: 'acme', suspended: true }, apiKeysChanged: 1 } });
    expect(await read('/api/destinations', acme.key)).toMatchObject({ status: 403, body: { error: { field: 'Authorization' } } });
    expect((await read('/api/destinations', beta.key)).status).toBe(200);
    const late = await call<{ key: string }>(stack(), 'POST', '/api/admin/tenants/acme/api-keys');
    expect((await read('/api/destinations', late.body.key)).status).toBe(403);

    expect(await getJson(`${acme.callbackUrls.sms}?${callback('suspended-sms-1')}`)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    const zalo = signed(zaloText('suspendedmsg000001'), undefined, SECRET);
    expect((await postJson(`${stack().url}/zalo/webhook`, zalo.rawBody, zalo.headers)).status).toBe(200);
    expect((await read('/api/esms/messages/suspended-sms-1?tenant=acme', 'test-admin-key')).status).toBe(200);
    expect((await read('/api/zalo/messages/suspendedmsg000001?tenant=acme', 'test-admin-key')).status).toBe(200);
    expect((await call<{ tenants: Array<{ id: string; suspended?: boolean }> }>(stack(), 'GET', '/api/admin/tenants')).body.tenants)
      .toEqual([expect.objectContaining({ id: 'acme', suspended: true }), expect.not.objectContaining({ suspended: true })]);
  });

  it('PATCH suspended:false restores every key; a rename or retention change leaves suspension alone; a bad body is a 400', async () => {
    expect((await call(stack(), 'PATCH', '/api/admin/tenants/acme', { body: { suspended: false } })).body).toMatchObject({ apiKeysChanged: 2 });
    expect((await read('/api/esms/messages/suspended-sms-1', acme.key)).status).toBe(200);
    expect(await call(stack(), 'PATCH', '/api/admin/tenants/acme', { body: { name: 'Acme Co', retentionDays: 30 } }))
      .toMatchObject({ status: 200, body: { tenant: { name: 'Acme Co', retentionDays: 30, suspended: false } } });
    expect((await call(stack(), 'PATCH', '/api/admin/tenants/acme', { body: {} })).status).toBe(400);
    expect((await call(stack(), 'PATCH', '/api/admin/tenants/acme', { body: { suspended: 1 } })).status).toBe(400);
    expect((await call(stack(), 'PATCH', '/api/admin/tenants/nobody', { body: { suspended: true } })).status).toBe(404);
  });

  it('DELETE: default is 409, no confirm 400; its key stops at once, its token within the cache TTL; repeated bounded calls leave nothing of it; the other tenant is untouched', async () => {
    for (let i = 0; i < 30; i += 1) {
      await getJson(`${acme.callbackUrls.sms}?${callback(`acme-gone-${i}`)}`);
      await getJson(`${beta.callbackUrls.sms}?${callback(`beta-kept-${i}`)}`);
    }
    const tenantItems = async (tenant: string) => {
      const doc = documentClient(stack().endpoint);
      const tables = [stack().tables.Messages, stack().tables.Counters, stack().tables.Registry];
      const items = (await Promise.all(tables.map((table) => scanAll(doc, table)))).flat();
      return items.filter((item) => String(item.pk).startsWith(`T#${tenant}#`) || item.tenant === tenant || (item.pk === 'TENANTS' && item.sk === tenant));
    };
    // The aggregator has counted both tenants' days before the deletion starts.
    await stack().poller!.drain();
    expect((await tenantItems('acme')).some((item) => String(item.pk).includes('#CNT#'))).toBe(true);
    const betaBefore = (await tenantItems('beta')).length;

    expect((await call(stack(), 'DELETE', '/api/admin/tenants/default?confirm=default')).status).toBe(409);
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme')).status).toBe(400);
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme?confirm=beta')).status).toBe(400);
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme?confirm=acme', { key: acme.key })).status).toBe(403);

    const first = await call<{ changed: number; incomplete: boolean }>(stack(), 'DELETE', '/api/admin/tenants/acme?confirm=acme&limit=20');
    expect(first).toMatchObject({ status: 200, body: { ok: true, incomplete: true } });
    expect((await read('/api/destinations', acme.key)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await getJson(`${acme.callbackUrls.sms}?${callback('acme-after')}`)).status).toBe(404);

    // Calls go on until done; the counters wait OFFBOARD_SETTLE_SECONDS after the messages table's sweep (60 s on
    // AWS, for the stream's lag; here 5 s, with the local stream drained while a call changes nothing).
    let calls = 1;
    let answer = first;
    const deadline = Date.now() + 100_000;
    while (answer.body.incomplete && Date.now() < deadline) {
      if (answer.body.changed === 0) {
        await stack().poller!.drain();
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      answer = await call(stack(), 'DELETE', '/api/admin/tenants/acme?confirm=acme&limit=20');
      expect(answer.status).toBe(200);
      calls += 1;
    }
    expect(answer.body.incomplete).toBe(false);
    expect(calls).toBeGreaterThan(2);
    // The deletions' stream records reach the aggregator after the sweep: wait for it, then look.
    await stack().poller!.drain();
    expect(await tenantItems('acme')).toEqual([]);
    expect((await call(stack(), 'GET', '/api/admin/tenants/acme')).status).toBe(404);
    expect((await call(stack(), 'DELETE', '/api/admin/tenants/acme?confirm=acme')).status).toBe(404);

    expect((await tenantItems('beta')).length).toBe(betaBefore);
    expect((await read('/api/esms/messages/beta-kept-29', beta.key)).status).toBe(200);
    expect((await getJson(`${beta.callbackUrls.sms}?${callback('beta-after')}`)).status).toBe(200);
  }, 300_000);
});
