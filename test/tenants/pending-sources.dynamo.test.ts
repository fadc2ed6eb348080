/**
 * Requests kept for a pending Zalo app (registered, OA Secret Key not configured yet) on DynamoDB Local:
 * strangers cannot crowd the partner out (issue 22 finding 2). A source network (IPv4 /24, IPv6 /48) may
 * hold a tenth of the app's room, so a forger flooding from one network fills only its own share and
 * Zalo's signed requests from its network are still kept; an app left pending past the window keeps
 * nothing; an app of the settings (`ZALO_APPS` with an empty key) is pending too, under the tenant default.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { buildPendingZaloStore } from '../../lib/store/pending-zalo';
import { buildRegistryStore } from '../../lib/store/registry';
import { zaloAppKey } from '../../lib/table/registry';
import type { ZaloApp } from '../../lib/zalo/ports';
import { useTables } from '../support/tables';

const { names: tables, doc } = useTables();
const registry = buildRegistryStore(doc, tables.Registry);
const CAP = 20;
const store = buildPendingZaloStore(doc, tables.Registry, { cap: CAP, ttlSeconds: 7 * 86_400 });
const NOW = Date.now();

const app = (appId: string, tenant = 'acme'): ZaloApp => ({ appId, tenant, secret: undefined });
const request = (source: string, i: number) => ({ raw: `{"n":${i}}`, headers: {}, receivedAt: NOW + i, source });

describe('pending requests per source network', () => {
  it('a forger on one network keeps at most its tenth of the cap (10 of 100 after sending 300); Zalo\'s requests from another network are still kept', async () => {
    const wide = buildPendingZaloStore(doc, tables.Registry, { cap: 100, ttlSeconds: 7 * 86_400 });
    await registry.putZaloApp({ appId: '9700000000000000001', tenant: 'acme', now: NOW });
    const forged = [];
    for (let i = 0; i < 300; i += 1) forged.push(await wide.keep(app('9700000000000000001'), request('203.0.113.0/24', i)));
    expect(forged.filter((answer) => answer.kept)).toHaveLength(10);
    expect(forged.at(-1)).toEqual({ kept: false, pending: true });
    for (let i = 0; i < 5; i += 1) expect(await wide.keep(app('9700000000000000001'), request('198.51.100.0/24', 1000 + i))).toEqual({ kept: true, pending: true });
    expect((await registry.getZaloApp('9700000000000000001'))?.pendingKept).toBe(15);
    expect(await wide.oldest('9700000000000000001', 100)).toHaveLength(15);
  }, 60_000);

  it('the app as a whole still holds at most the cap, whatever the number of networks', async () => {
    await registry.putZaloApp({ appId: '9700000000000000002', tenant: 'acme', now: NOW });
    let kept = 0;
    for (let network = 0; network < 30; network += 1) {
      if ((await store.keep(app('9700000000000000002'), request(`10.0.${network}.0/24`, network))).kept) kept += 1;
    }
    expect(kept).toBe(CAP);
  });

  it('an app pending for longer than the window (7 days since it was registered) keeps nothing more', async () => {
    await registry.putZaloApp({ appId: '9700000000000000003', tenant: 'acme', now: NOW - 8 * 86_400_000 });
    expect(await store.keep(app('9700000000000000003'), request('198.51.100.0/24', 1))).toEqual({ kept: false, pending: true });
  });

  it('an app of the settings with an empty key is pending: its requests are kept under the tenant default', async () => {
    const envApp: ZaloApp = { appId: '9700000000000000004', tenant: 'default', secret: undefined, fromSettings: true };
    expect(await store.keep(envApp, request('198.51.100.0/24', 1))).toEqual({ kept: true, pending: true });
    expect(await store.keep(envApp, request('198.51.100.0/24', 2))).toEqual({ kept: true, pending: true });
    expect(await registry.getZaloApp('9700000000000000004')).toMatchObject({ tenant: 'default', oaSecretKey: undefined, pendingKept: 2 });
    expect(await store.oldest('9700000000000000004', 10)).toHaveLength(2);
  });

  it('an app of the settings is never kept under a registry app of another tenant', async () => {
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: { ...zaloAppKey('9700000000000000005'), appId: '9700000000000000005', tenant: 'other', createdAt: NOW, updatedAt: NOW } }));
    const envApp: ZaloApp = { appId: '9700000000000000005', tenant: 'default', secret: undefined, fromSettings: true };
    expect(await store.keep(envApp, request('198.51.100.0/24', 1))).toEqual({ kept: false, pending: true });
    expect((await doc.send(new GetCommand({ TableName: tables.Registry, Key: zaloAppKey('9700000000000000005') }))).Item).toMatchObject({ tenant: 'other' });
  });
});
