/**
 * Zalo records are tenant-scoped: two tenants, each with its own Zalo app (registered through the admin
 * API) and API key, receive the same OA's events with the same msg_ids, user ids and Journey ids. Each key
 * reads only its own events, followers, conversation, OA state, Journey and eSMS link; the other tenant's
 * answer 404. Every stored Zalo item's key starts with its tenant, and the item carries it.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { zaloFixture } from '../support/fixtures';
import { documentClient, getJson, useStack } from '../support/stack';
import { call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { postZalo, scanAll, signed } from './client';

const stack = useStack({ env: TENANT_ENV });

const OA = `oa-${randomUUID().slice(0, 8)}`;
const USER = `user-${randomUUID().slice(0, 8)}`;
const MSG = `msg-${randomUUID().slice(0, 8)}`;
const JOURNEY = `j-${randomUUID().slice(0, 8)}`;
const T = Date.now() - 60_000;

const envelope = (name: string, over: Record<string, unknown>) => ({ ...JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>, ...over });

/** The same OA traffic for either tenant: only the app (and so the key that signs) differs. */
const traffic = (appId: string, text: string) => [
  envelope('oa_send_text', { app_id: appId, sender: { id: OA }, recipient: { id: USER }, message: { text, msg_id: MSG }, timestamp: String(T) }),
  envelope('user_seen_message', { app_id: appId, sender: { id: OA }, recipient: { id: USER }, message: { msg_ids: [MSG, `${MSG}-b`] }, timestamp: String(T + 1000) }),
  envelope('follow', { app_id: appId, oa_id: OA, follower: { id: USER }, timestamp: String(T + 2000) }),
  envelope('change_template_quality', { app_id: appId, oa_id: OA, timestamp: String(T + 3000) }),
  envelope('event_journey_acknowledged', { app_id: appId, oa_id: OA, journey_id: JOURNEY, timestamp: String(T + 4000) }),
];

interface Tenant extends Onboarded { id: string; appId: string; secret: string }

describe('two tenants, the same OA ids and msg_ids', () => {
  const tenants: Tenant[] = [];
  const read = <T = Record<string, unknown>>(tenant: Tenant, path: string) => getJson<T>(`${stack().url}${path}`, { authorization: `Bearer ${tenant.key}` });

  beforeAll(async () => {
    for (const id of ['zacme', 'zbeta']) {
      const onboarded = await onboard(stack(), id);
      const appId = String(9_000_000_000 + tenants.length);
      const secret = `oa-secret-of-${id}`;
      const app = await call(stack(), 'PUT', `/api/admin/tenants/${id}/zalo-apps/${appId}`, { body: { oaSecretKey: secret } });
      expect(app.status).toBe(201);
      tenants.push({ ...onboarded, id, appId, secret });
    }
    // Interleaved: each tenant's event right after the other's.
    const [acme, beta] = tenants as [Tenant, Tenant];
    const acmeTraffic = traffic(acme.appId, 'hello from acme');
    const betaTraffic = traffic(beta.appId, 'hello from beta');
    for (let i = 0; i < acmeTraffic.length; i += 1) {
      for (const [tenant, event] of [[acme, acmeTraffic[i]!], [beta, betaTraffic[i]!]] as const) {
        expect(await postZalo(stack(), signed(JSON.stringify(event), undefined, tenant.secret))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
      }
    }
  });

  it('each tenant reads its own message events (the seen receipt included), the same msg_id of the other tenant unseen', async () => {
    for (const tenant of tenants) {
      const answer = await read<{ message: { events: Array<{ eventName: string; body: { app_id: string } }> } }>(tenant, `/api/zalo/messages/${MSG}`);
      expect(answer.status).toBe(200);
      expect(answer.body.message.events.map((event) => [event.eventName, event.body.app_id])).toEqual([
        ['oa_send_text', tenant.appId], ['user_seen_message', tenant.appId],
      ]);
    }
  });

  it('followers, conversation, OA state and Journey are each tenant\'s own', async () => {
    for (const tenant of tenants) {
      const followers = await read<{ followers: Array<{ userId: string }> }>(tenant, `/api/oa/${OA}/followers`);
      expect(followers.body.followers.map((follower) => follower.userId)).toEqual([USER]);
      const chat = await read<{ events: Array<{ body: { message: { text: string } } }> }>(tenant, `/api/oa/${OA}/users/${USER}/messages`);
      expect(chat.body.events.map((event) => event.body.message.text)).toEqual([`hello from ${tenant.id === 'zacme' ? 'acme' : 'beta'}`]);
      const state = await read<{ state: { templates: Array<{ quality: string }> } }>(tenant, `/api/oa/${OA}/state`);
      expect(state.body.state.templates.map((template) => template.quality)).toEqual(['LOW']);
      expect((await read(tenant, `/api/zalo/journeys/${JOURNEY}`)).status).toBe(200);
    }
  });

  it('a tenant that never saw the OA or the msg_id gets 404 everywhere', async () => {
    const gamma = { ...(await onboard(stack(), 'zgamma')), id: 'zgamma', appId: '', secret: '' };
    for (const path of [`/api/zalo/messages/${MSG}`, `/api/oa/${OA}/followers`, `/api/oa/${OA}/users/${USER}/messages`, `/api/oa/${OA}/state`, `/api/zalo/journeys/${JOURNEY}`]) {
      expect((await read(gamma, path)).status, path).toBe(404);
    }
  });

  it('the eSMS link shows only the reader\'s own SMSID for a msg_id both tenants sent through eSMS', async () => {
    const query = (smsId: string) => `SMSID=${smsId}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=60.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=26&phonenumber=${USER}&oaid=${OA}&partnerids=${MSG}`;
    for (const tenant of tenants) expect((await getJson(`${tenant.callbackUrls.zalo}?${query(`sms-${tenant.id}`)}`)).status).toBe(200);
    for (const tenant of tenants) {
      const answer = await read<{ message: { smsId: string; smsIds?: string[] } }>(tenant, `/api/zalo/messages/${MSG}`);
      expect(answer.body.message).toMatchObject({ smsId: `sms-${tenant.id}` });
      expect(answer.body.message.smsIds).toBeUndefined();
    }
  });

  it('every Zalo item of the table is under its tenant\'s key and carries the tenant', async () => {
    const items = await scanAll(documentClient(stack().endpoint), stack().tables.Messages);
    const zalo = items.filter((item) => ['zalo', 'zalo_copy', 'follower', 'state'].includes(String(item.kind)));
    expect(zalo.length).toBeGreaterThanOrEqual(2 * 6);
    for (const item of zalo) {
      expect(String(item.pk), JSON.stringify(item).slice(0, 200)).toMatch(new RegExp(`^T#${String(item.tenant)}#`));
      expect(['zacme', 'zbeta']).toContain(item.tenant);
    }
  });
});
