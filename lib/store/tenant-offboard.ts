/**
 * The OffboardStore port (lib/tenants/offboard.ts) over the registry, messages and counters tables. Registry
 * items are found through the tenant's credential index (`T#<tenant>#CRED`), the Zalo apps' own partitions
 * and the SITE partition; the data tables' keys (`T#<tenant>#…`, partitions named by SMSID, phone, day…) can
 * only be found by a scan with a `begins_with(pk)` filter: one page per step, the messages table first, then
 * the counters table (docs/decisions.md, "Tenant lifecycle and usage").
 */
import { BatchWriteCommand, DeleteCommand, GetCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { OffboardStore, ZaloAppRemoval } from '../tenants/ports';
import {
  apiKeyKey, CredentialIndexItemSchema, credentialIndexKey, esmsAccountKey, esmsTokenKey, pendingPk, SITE_PK, SiteCodeItemSchema, siteCodeKey, tenantCredentialsPk, tenantKey, zaloAppKey,
} from '../table/registry';
import { storageCall } from './errors';

type Key = Record<string, unknown>;
const TABLES = ['messages', 'counters'] as const;
/** Items one scan page reads (DynamoDB's Limit counts items read, not items matched). */
const SCAN_PAGE = 1000;

const CursorSchema = v.object({ table: v.picklist([0, 1]), start: v.optional(v.record(v.string(), v.unknown())) });
const encode = (cursor: v.InferOutput<typeof CursorSchema>) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decode = (text: string | undefined) => (text === undefined ? { table: 0 as const } : v.parse(CursorSchema, JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))));

export const buildOffboardStore = (doc: DynamoDBDocumentClient, tables: { registry: string; messages: string; counters: string }): OffboardStore & ZaloAppRemoval => {
  const deleteKeys = async (table: string, keys: Key[]) => {
    for (let i = 0; i < keys.length; i += 25) {
      let pending: Array<{ DeleteRequest: { Key: Key } }> | undefined = keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: key } }));
      for (let round = 0; pending && pending.length > 0 && round < 8; round += 1) {
        const answer = await storageCall(() => doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending! } })));
        pending = answer.UnprocessedItems?.[table] as typeof pending;
        if (pending?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      }
      if (pending?.length) throw new Error(`offboard: ${pending.length} deletions left unprocessed`);
    }
    return keys.length;
  };
  const keysOf = (items: Key[] | undefined) => (items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
  const queryKeys = async (pk: string, limit: number) =>
    keysOf((await storageCall(() => doc.send(new QueryCommand({ TableName: tables.registry, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: limit, ProjectionExpression: 'pk, sk' })))).Items);
  /** Deletes `key` if it is `tenant`'s (an app or code another tenant took since stays). */
  const deleteOwned = (key: Key, tenant: string) => storageCall(async () => {
    try {
      await doc.send(new DeleteCommand({ TableName: tables.registry, Key: key, ConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'tenant' }, ExpressionAttributeValues: { ':t': tenant } }));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  });

  /** An app of the tenant and what it kept while pending, its per-network counts, then its index entry (the last: a rerun finds the app by it). */
  const removeZaloApp = async (tenant: string, appId: string, limit: number): Promise<{ deleted: number; done: boolean }> => {
    let deleted = 0;
    await deleteOwned(zaloAppKey(appId), tenant);
    const pending = await queryKeys(pendingPk(appId), Math.max(1, limit));
    deleted += await deleteKeys(tables.registry, pending);
    if (deleted >= limit) return { deleted, done: false };
    deleted += await deleteKeys(tables.registry, await queryKeys(`ZPSRC#${appId}`, 100));
    await deleteKeys(tables.registry, [credentialIndexKey(tenant, 'zalo-app', appId)]);
    return { deleted: deleted + 1, done: true };
  };

  return {
    async state(tenant) {
      const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: tables.registry, Key: tenantKey(tenant), ConsistentRead: true })));
      if (!Item) return undefined;
      return { offboarding: Item.offboarding === true, cursor: typeof Item.offboardCursor === 'string' ? Item.offboardCursor : undefined };
    },

    async markOffboarding(tenant) {
      await storageCall(() => doc.send(new UpdateCommand({
        TableName: tables.registry, Key: tenantKey(tenant), UpdateExpression: 'SET offboarding = :true, suspended = :true', ExpressionAttributeValues: { ':true': true },
      })));
    },

    removeZaloApp,

    hasZaloApp: async (tenant, appId) => (await storageCall(() => doc.send(new GetCommand({
      TableName: tables.registry, Key: credentialIndexKey(tenant, 'zalo-app', appId), ConsistentRead: true,
    })))).Item !== undefined,

    async removeRegistryItems(tenant, limit) {
      let deleted = 0;
      const index = (await storageCall(() => doc.send(new QueryCommand({ TableName: tables.registry, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': tenantCredentialsPk(tenant) }, ConsistentRead: true })))).Items ?? [];
      // Credentials first, all of them: they are what must stop at once.
      for (const entry of index.map((item) => v.parse(CredentialIndexItemSchema, item))) {
        if (entry.kind === 'zalo-app') continue;
        await deleteOwned(entry.kind === 'api-key' ? apiKeyKey(entry.id) : esmsTokenKey(entry.id), tenant);
        await deleteKeys(tables.registry, [credentialIndexKey(tenant, entry.kind, entry.id)]);
        deleted += 1;
      }
      for (const entry of index.map((item) => v.parse(CredentialIndexItemSchema, item)).filter((item) => item.kind === 'zalo-app')) {
        const app = await removeZaloApp(tenant, entry.id, Math.max(1, limit - deleted));
        deleted += app.deleted;
        if (!app.done) return { deleted, done: false };
      }
      await storageCall(() => doc.send(new DeleteCommand({ TableName: tables.registry, Key: esmsAccountKey(tenant) })));
      const codes = (await storageCall(() => doc.send(new QueryCommand({ TableName: tables.registry, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SITE_PK } })))).Items ?? [];
      for (const code of codes.map((item) => v.parse(SiteCodeItemSchema, item)).filter((item) => item.tenant === tenant)) {
        await deleteOwned(siteCodeKey(code.sk), tenant);
        deleted += 1;
      }
      return { deleted, done: true };
    },

    async sweep(tenant, text, limit) {
      const cursor = decode(text);
      const table = tables[TABLES[cursor.table]];
      const page = await storageCall(() => doc.send(new ScanCommand({
        TableName: table, ExclusiveStartKey: cursor.start, Limit: Math.min(SCAN_PAGE, Math.max(limit, 25)),
        FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': `T#${tenant}#` }, ProjectionExpression: 'pk, sk',
      })));
      const deleted = await deleteKeys(table, keysOf(page.Items));
      if (page.LastEvaluatedKey) return { deleted, next: encode({ table: cursor.table, start: page.LastEvaluatedKey }) };
      return cursor.table === 0 ? { deleted, next: encode({ table: 1 }), messagesDone: true } : { deleted, next: undefined };
    },

    async saveCursor(tenant, cursor) {
      await storageCall(() => doc.send(new UpdateCommand({ TableName: tables.registry, Key: tenantKey(tenant), UpdateExpression: 'SET offboardCursor = :c', ExpressionAttributeValues: { ':c': cursor } })));
    },

    async removeTenant(tenant) {
      await deleteKeys(tables.registry, await queryKeys(tenantCredentialsPk(tenant), 1000));
      await storageCall(() => doc.send(new DeleteCommand({ TableName: tables.registry, Key: tenantKey(tenant) })));
    },
  };
};
