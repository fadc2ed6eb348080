/**
 * The last-used adapter (lib/store/credential-use.ts) on DynamoDB Local, through the recorder that uses it
 * (lib/tenants/last-used.ts): the first use sets lastUsedAt on the credential's index entry, a second within
 * the hour (another instance: a fresh recorder) changes nothing, one after the hour moves it, a credential
 * without an index entry gets none created, and a revoked credential's entry is not brought back. The
 * inventory (RegistryStore.listTenantCredentials) reads it back.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCredentialUseStore } from '../../lib/store/credential-use';
import { buildRegistryStore } from '../../lib/store/registry';
import { credentialIndexKey } from '../../lib/table/registry';
import { buildLastUsedRecorder, LAST_USED_INTERVAL_MS } from '../../lib/tenants/last-used';
import { useTables } from '../support/tables';

const { names: tables, doc } = useTables();
const registry = buildRegistryStore(doc, tables.Registry);
const store = buildCredentialUseStore(doc, tables.Registry);
const NOW = Date.now();

beforeAll(async () => {
  await registry.createTenant({ id: 'acme', name: 'ACME', createdAt: NOW });
});

const entry = async (kind: 'api-key' | 'esms-token' | 'zalo-app', id: string) =>
  (await doc.send(new GetCommand({ TableName: tables.Registry, Key: credentialIndexKey('acme', kind, id), ConsistentRead: true }))).Item;

/** A new instance's recorder at time `at`. */
const instance = (at: number) => buildLastUsedRecorder({ store, now: () => at, log: { debug: () => undefined } });

describe('last-used times on the credential index (DynamoDB Local)', () => {
  it('first use sets it; a second within the hour does not change it; one after the hour does', async () => {
    expect(await registry.putCredential('api-key', 'k1', { tenant: 'acme', hash: 'a'.repeat(64), createdAt: NOW })).toBe(true);
    expect((await entry('api-key', 'k1'))?.lastUsedAt).toBeUndefined();

    const first = instance(NOW);
    await first({ tenant: 'acme', kind: 'api-key', id: 'k1' });
    expect(first.counts).toMatchObject({ written: 1, failed: 0 });
    expect((await entry('api-key', 'k1'))?.lastUsedAt).toBe(NOW);

    const soon = instance(NOW + 30 * 60_000);
    await soon({ tenant: 'acme', kind: 'api-key', id: 'k1' });
    expect(soon.counts).toMatchObject({ written: 0, refused: 1, failed: 0 });
    expect((await entry('api-key', 'k1'))?.lastUsedAt).toBe(NOW);

    const later = instance(NOW + LAST_USED_INTERVAL_MS);
    await later({ tenant: 'acme', kind: 'api-key', id: 'k1' });
    expect(later.counts).toMatchObject({ written: 1, failed: 0 });
    expect((await entry('api-key', 'k1'))?.lastUsedAt).toBe(NOW + LAST_USED_INTERVAL_MS);
    // The rest of the entry is untouched, and the inventory reads the time.
    expect(await entry('api-key', 'k1')).toMatchObject({ kind: 'api-key', id: 'k1', createdAt: NOW });
    expect(await registry.listTenantCredentials('acme')).toContainEqual({ kind: 'api-key', id: 'k1', createdAt: NOW, lastUsedAt: NOW + LAST_USED_INTERVAL_MS });
  });

  it('the adapter\'s condition itself: written when absent or older than the bound, refused otherwise', async () => {
    expect(await registry.putCredential('esms-token', 't1', { tenant: 'acme', hash: 'b'.repeat(64), createdAt: NOW })).toBe(true);
    const token = { tenant: 'acme', kind: 'esms-token' as const, id: 't1' };
    expect(await store.markUsed(token, NOW, NOW - 1000)).toBe(true);
    expect(await store.markUsed(token, NOW + 500, NOW - 1000)).toBe(false);
    expect(await store.markUsed(token, NOW + 2000, NOW + 1)).toBe(true);
    expect((await entry('esms-token', 't1'))?.lastUsedAt).toBe(NOW + 2000);
  });

  it('a credential with no index entry gets none created; a revoked one\'s entry is not brought back', async () => {
    const record = instance(NOW);
    await record({ tenant: 'acme', kind: 'zalo-app', id: '9700000000000000009' });
    expect(await entry('zalo-app', '9700000000000000009')).toBeUndefined();
    expect(await registry.putCredential('api-key', 'k2', { tenant: 'acme', hash: 'c'.repeat(64), createdAt: NOW })).toBe(true);
    expect(await registry.deleteCredential('api-key', 'k2', 'acme')).toBe(true);
    await record({ tenant: 'acme', kind: 'api-key', id: 'k2' });
    expect(await entry('api-key', 'k2')).toBeUndefined();
    expect(record.counts).toMatchObject({ written: 0, refused: 2, failed: 0 });
    expect((await registry.listTenantCredentials('acme')).map((credential) => credential.id).sort()).toEqual(['k1', 't1']);
  });

  it('a table the write cannot reach (no such table) is swallowed: the request goes on', async () => {
    const broken = buildLastUsedRecorder({ store: buildCredentialUseStore(doc, `${tables.Registry}-missing`), now: () => NOW, log: { debug: () => undefined } });
    await expect(broken({ tenant: 'acme', kind: 'api-key', id: 'k1' })).resolves.toBeUndefined();
    expect(broken.counts).toMatchObject({ written: 0, failed: 1 });
  });
});
