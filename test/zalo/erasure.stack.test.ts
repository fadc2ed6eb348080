/**
 * DELETE /api/recipients/{phone} on Zalo records, through the local HTTP stack on DynamoDB Local: a consent
 * request and its reply for the phone are erased from the tenant's events (raw bodies), consent items and
 * pointers (the table is scanned for every spelling), the other tenant's consent for the same phone and
 * the tenant's other phones stay, and the Zalo reports do not move.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasedPhone, eraseRecipient } from '../../lib/esms/erasure';
import { buildErasureProgressStore } from '../../lib/store/erasure-progress';
import { buildSuppressionEraser } from '../../lib/store/suppressions';
import { buildZaloErasureStore } from '../../lib/store/zalo-erasure';
import { vietnamDay } from '../../lib/time';
import { buildZaloEraser } from '../../lib/zalo/erasure';
import { zaloFixture } from '../support/fixtures';
import { documentClient, getJson, useStack } from '../support/stack';
import { call, onboard, TENANT_ENV, type Onboarded } from '../tenants/admin-client';
import { postZalo, scanAll, signed } from './client';

const stack = useStack({ env: TENANT_ENV });
const docs: Array<ReturnType<typeof documentClient>> = [];
const doc = () => (docs[0] ??= documentClient(stack().endpoint));
afterAll(() => docs.forEach((d) => d.destroy()));

const OA = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
/** In every spelling of 84901234567 (Zalo's own, 0901234567, +84 901 234 567). */
const NSN = '901234567';
const OTHER_PHONE = '84912000111';
const T = Date.now() - 60_000;

interface Tenant extends Onboarded { id: string; appId: string; secret: string }

const envelope = (name: string, over: Record<string, unknown>) => ({ ...JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>, ...over });
const consentTraffic = (appId: string, phone: string, at: number, oa = OA) => [
  envelope('oa_send_consent', { app_id: appId, oa_id: oa, phone, create_time: String(at - 1000), expired_time: String(at + 86_400_000), timestamp: String(at) }),
  envelope('user_reply_consent', { app_id: appId, oa_id: oa, phone, confirmed_time: String(at + 9000), timestamp: String(at + 10_000) }),
];

describe('erasure of a phone from Zalo records', () => {
  const tenants: Tenant[] = [];
  const items = () => scanAll(doc(), stack().tables.Messages);
  const holding = (all: Array<Record<string, unknown>>, tenant: string, text: string) =>
    all.filter((item) => String(item.pk).startsWith(`T#${tenant}#`) && JSON.stringify(item).includes(text));
  const report = async (tenant: Tenant) => {
    await stack().poller!.drain();
    return (await getJson(`${stack().url}/api/reports/daily?from=${vietnamDay(T)}&by=oa`, { authorization: `Bearer ${tenant.key}` })).body;
  };

  beforeAll(async () => {
    for (const id of ['zerase', 'zkeep']) {
      const onboarded = await onboard(stack(), id);
      const appId = String(9_100_000_000 + tenants.length);
      const secret = `oa-secret-of-${id}-${randomUUID().slice(0, 4)}`;
      expect((await call(stack(), 'PUT', `/api/admin/tenants/${id}/zalo-apps/${appId}`, { body: { oaSecretKey: secret } })).status).toBe(201);
      tenants.push({ ...onboarded, id, appId, secret });
    }
    const [erase, keep] = tenants as [Tenant, Tenant];
    const traffic: Array<[Tenant, Record<string, unknown>]> = [
      ...consentTraffic(erase.appId, '84901234567', T).map((event) => [erase, event] as [Tenant, Record<string, unknown>]),
      ...consentTraffic(erase.appId, OTHER_PHONE, T + 20_000).map((event) => [erase, event] as [Tenant, Record<string, unknown>]),
      ...consentTraffic(keep.appId, '84901234567', T).map((event) => [keep, event] as [Tenant, Record<string, unknown>]),
    ];
    for (const [tenant, event] of traffic) {
      expect(await postZalo(stack(), signed(JSON.stringify(event), undefined, tenant.secret))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    }
  });

  it('a consent request and reply: gone from events, consent items and pointers of that tenant only, reports unchanged', async () => {
    const [erase, keep] = tenants as [Tenant, Tenant];
    const before = await Promise.all(tenants.map(report));
    expect(JSON.stringify(before[0])).toContain(OA);
    const stored = await items();
    // 2 events, the consent item, the pointer of their day, the suppression record (the ALLOW's clear marker).
    expect(holding(stored, erase.id, NSN).map((item) => item.kind).sort()).toEqual(['state', 'state', 'sup', 'zalo', 'zalo']);
    const kept = holding(stored, keep.id, NSN);
    expect(kept).toHaveLength(5);
    const otherPhone = holding(stored, erase.id, OTHER_PHONE);

    const consentOf = (tenant: Tenant) => getJson<{ consent?: unknown }>(`${stack().url}/api/oa/${OA}/state?phone=84901234567`, { authorization: `Bearer ${tenant.key}` });
    const consentBefore = (await consentOf(erase)).body;

    const answer = await fetch(`${stack().url}/api/recipients/${encodeURIComponent('+84 901 234 567')}`, { method: 'DELETE', headers: { authorization: `Bearer ${erase.key}` } });
    expect(answer.status).toBe(200);
    // 2 events rewritten, 1 consent item, 1 pointer and the suppression record deleted.
    expect(await answer.json()).toEqual({ ok: true, changed: 5 });

    const after = await items();
    expect(holding(after, erase.id, NSN)).toEqual([]);
    expect(holding(after, erase.id, '0901234567')).toEqual([]);
    expect(holding(after, keep.id, NSN)).toEqual(kept);
    expect(holding(after, erase.id, OTHER_PHONE)).toEqual(otherPhone);
    const events = after.filter((item) => String(item.pk).startsWith(`T#${erase.id}#ZEV#${OA}#`) && String(item.raw).includes('"phone":"erased"'));
    expect(events.map((item) => item.eventName).sort()).toEqual(['oa_send_consent', 'user_reply_consent']);
    expect(await Promise.all(tenants.map(report))).toEqual(before);
    expect((await consentOf(erase)).body).not.toEqual(consentBefore);
    expect((await consentOf(keep)).body).toEqual(consentBefore);

    const again = await fetch(`${stack().url}/api/recipients/0901234567`, { method: 'DELETE', headers: { authorization: `Bearer ${erase.key}` } });
    expect(await again.json()).toEqual({ ok: true, changed: 0 });
  }, 60_000);

  it('consents on several OAs are erased in calls bounded by the budget, each rerun carrying on until none is left', async () => {
    const [erase] = tenants as [Tenant];
    const phone = '84977000123';
    for (const [i, oa] of ['11', '12', '13'].map((suffix) => `${OA}${suffix}`).entries()) {
      for (const event of consentTraffic(erase.appId, phone, T + i * 1000, oa)) {
        expect((await postZalo(stack(), signed(JSON.stringify(event), undefined, erase.secret))).status).toBe(200);
      }
    }
    // The projector's suppression record (one per phone) is waited for, so the count does not race it.
    await stack().poller!.drain();
    expect(holding(await items(), erase.id, '977000123')).toHaveLength(3 * 4 + 1);
    // A clock that moves one tick per look (two per OA, two per call): each call gets through about two OAs.
    let tick = 0;
    const now = () => tick++;
    const erasers = [buildZaloEraser(buildZaloErasureStore(doc(), stack().tables.Messages)), buildSuppressionEraser(doc(), stack().tables.Messages)];
    const calls: Array<{ changed: number; complete: boolean }> = [];
    const progress = buildErasureProgressStore(doc(), stack().tables.Messages);
    do calls.push(await eraseRecipient(erasers, progress, erase.id, erasedPhone(phone), { deadline: tick + 6, now }));
    while (!calls.at(-1)!.complete && calls.length < 50);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(0, -1).every((call) => !call.complete)).toBe(true);
    expect(calls.at(-1)!.complete).toBe(true);
    // Per OA: 2 events re-keyed, 1 consent item and 1 pointer deleted; then the phone's suppression record.
    expect(calls.reduce((sum, call) => sum + call.changed, 0)).toBe(3 * 4 + 1);
    expect(holding(await items(), erase.id, '977000123')).toEqual([]);
  }, 60_000);
});
