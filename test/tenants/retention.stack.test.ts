/**
 * Per-tenant retention through the local HTTP stack: a tenant created with `retentionDays: 30` gets
 * `expiresAt` = first seen + 30 days on the heads its token's callbacks write; a tenant created without
 * one keeps the environment's MESSAGE_RETENTION_DAYS (here 400); invalid values are refused.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { headKey } from '../../lib/table/esms';
import { buildTenantRetention } from '../../lib/tenants/retention';
import { TTL_ATTRIBUTE } from '../../lib/table/names';
import { callbackQuery } from '../support/callback-query';
import { documentClient, getJson, useStack } from '../support/stack';
import { call, TENANT_ENV } from './admin-client';

const stack = useStack({ env: { ...TENANT_ENV, MESSAGE_RETENTION_DAYS: '400' } });
const docs: Array<ReturnType<typeof documentClient>> = [];
const doc = () => (docs[0] ??= documentClient(stack().endpoint));
afterAll(() => docs.forEach((d) => d.destroy()));

const DAY_S = 86_400;

describe('retentionDays of a tenant', () => {
  it('heads of a tenant with 30 days expire 30 days after first seen; a tenant without keeps the environment default', async () => {
    const run = Date.now();
    for (const [id, retentionDays, expected] of [[`ret30-${run}`, 30, 30], [`retdef-${run}`, undefined, 400]] as const) {
      const created = await call(stack(), 'POST', '/api/admin/tenants', { body: { id, ...(retentionDays !== undefined && { retentionDays }) } });
      expect(created.status).toBe(201);
      expect((created.body as { tenant: { retentionDays?: number } }).tenant.retentionDays).toBe(retentionDays);
      const token = await call<{ callbackUrls: Record<string, string> }>(stack(), 'POST', `/api/admin/tenants/${id}/esms-tokens`);
      const before = Date.now();
      const answer = await getJson(`${token.body.callbackUrls.sms}?${callbackQuery({ smsId: `ret-${id}`, status: 5, sent: 1, success: 1, phone: '0901888484' })}`);
      expect(answer.status).toBe(200);
      const { Item } = await doc().send(new GetCommand({ TableName: stack().tables.Messages, Key: headKey(id, `ret-${id}`), ConsistentRead: true }));
      expect(Item, id).toBeDefined();
      expect(Item![TTL_ATTRIBUTE]).toBe(Math.floor(Number(Item!.firstSeen) / 1000) + expected * DAY_S);
      expect(Number(Item!.firstSeen)).toBeGreaterThanOrEqual(before);
    }
    const listed = await call<{ tenants: Array<{ id: string; retentionDays?: number }> }>(stack(), 'GET', '/api/admin/tenants');
    expect(listed.body.tenants.find((tenant) => tenant.id === `ret30-${run}`)?.retentionDays).toBe(30);
  }, 60_000);

  it('refuses a retention that is not a whole number of days from 1 to 3650', async () => {
    for (const retentionDays of [0, 1.5, 3651, '30']) {
      const answer = await call(stack(), 'POST', '/api/admin/tenants', { body: { id: `retbad-${Date.now()}`, retentionDays } });
      expect(answer.status, String(retentionDays)).toBe(400);
    }
  });
});

describe('buildTenantRetention (the per-instance cache)', () => {
  it('reads the registry once per tenant per TTL, misses included, and forgets a failed read', async () => {
    let clock = 0;
    const loads: string[] = [];
    let failNext = false;
    const retention = buildTenantRetention({
      load: async (tenant) => {
        loads.push(tenant);
        if (failNext) {
          failNext = false;
          throw new Error('registry unavailable');
        }
        return tenant === 'acme' ? 30 : undefined;
      },
      fallback: 400, ttlMs: 60_000, now: () => clock,
    });
    for (let i = 0; i < 1000; i += 1) {
      expect(await retention('acme')).toBe(30);
      expect(await retention('default')).toBe(400);
    }
    expect(loads).toEqual(['acme', 'default']);
    clock = 60_001;
    failNext = true;
    await expect(retention('acme')).rejects.toThrow('registry unavailable');
    expect(await retention('acme')).toBe(30);
    expect(loads).toEqual(['acme', 'default', 'acme', 'acme']);
  });
});
