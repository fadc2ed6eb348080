/**
 * DynamoDB adapter of the tenant registry (RegistryStore, lib/tenants/ports.ts) on the registry table,
 * keyed as lib/table/registry.ts says. Values arrive hashed or sealed; reads are strongly consistent so an
 * admin change is seen by the next request that reaches the table.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import {
  apiKeyKey, CredentialItemSchema, EsmsAccountItemSchema, esmsAccountKey, esmsTokenKey, SITE_PK, siteCodeKey, SiteCodeItemSchema,
  TENANTS_PK, TenantItemSchema, tenantKey, zaloAppKey, ZaloAppItemSchema,
} from '../table/registry';
import type { CredentialKind, RegistryStore } from '../tenants/ports';
import { isConditionFailure, storageFailure } from './errors';
import { queryAll } from './query-all';

const credentialKey = (kind: CredentialKind, id: string) => (kind === 'api-key' ? apiKeyKey(id) : esmsTokenKey(id));

const attempt = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw storageFailure(error);
  }
};

/** Runs a conditional write: false when its condition refused it. */
const conditional = async (run: () => Promise<unknown>): Promise<boolean> => {
  try {
    await run();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw storageFailure(error);
  }
};

export const buildRegistryStore = (doc: DynamoDBDocumentClient, table: string): RegistryStore => {
  const get = async (key: { pk: string; sk: string }) =>
    attempt(async () => (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item);

  /** Creates the item for `tenant`, or updates it when it is already `tenant`'s; 'conflict' when another's. */
  const claim = async (key: { pk: string; sk: string }, tenant: string, set: Record<string, unknown>, createOnly: Record<string, unknown>) => {
    const entries = Object.entries(set);
    const names = Object.fromEntries([...entries, ...Object.entries(createOnly)].map(([name], index) => [`#a${index}`, name]));
    const values = Object.fromEntries([...entries, ...Object.entries(createOnly)].map(([, value], index) => [`:a${index}`, value]));
    const assignments = [
      ...entries.map((_, index) => `#a${index} = :a${index}`),
      ...Object.keys(createOnly).map((_, index) => `#a${entries.length + index} = if_not_exists(#a${entries.length + index}, :a${entries.length + index})`),
    ];
    try {
      const { Attributes } = await doc.send(new UpdateCommand({
        TableName: table, Key: key,
        UpdateExpression: `SET #tenant = :tenant${assignments.length ? `, ${assignments.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_not_exists(pk) OR #tenant = :tenant',
        ExpressionAttributeNames: { '#tenant': 'tenant', ...names },
        ExpressionAttributeValues: { ':tenant': tenant, ...values },
        ReturnValues: 'UPDATED_OLD',
      }));
      return Attributes?.tenant === undefined ? 'created' as const : 'updated' as const;
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict' as const;
      throw storageFailure(error);
    }
  };

  return {
    createTenant: (tenant) => conditional(() => doc.send(new PutCommand({
      TableName: table, Item: { ...tenantKey(tenant.id), name: tenant.name, createdAt: tenant.createdAt, ...(tenant.retentionDays !== undefined && { retentionDays: tenant.retentionDays }) }, ConditionExpression: 'attribute_not_exists(pk)',
    }))),

    async getTenant(id) {
      const item = await get(tenantKey(id));
      if (!item) return undefined;
      const parsed = v.parse(TenantItemSchema, item);
      return { id: parsed.sk, name: parsed.name, createdAt: parsed.createdAt, retentionDays: parsed.retentionDays };
    },

    listTenants: () => attempt(async () => {
      const items = await queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': TENANTS_PK } });
      return items.map((item) => v.parse(TenantItemSchema, item)).map((item) => ({ id: item.sk, name: item.name, createdAt: item.createdAt, retentionDays: item.retentionDays }));
    }),

    putCredential: (kind, id, credential) => attempt(async () => {
      await doc.send(new PutCommand({ TableName: table, Item: { ...credentialKey(kind, id), ...credential }, ConditionExpression: 'attribute_not_exists(pk)' }));
    }),

    async getCredential(kind, id) {
      const item = await get(credentialKey(kind, id));
      if (!item) return undefined;
      const { tenant, hash } = v.parse(CredentialItemSchema, item);
      return { tenant, hash };
    },

    deleteCredential: (kind, id, tenant) => conditional(() => doc.send(new DeleteCommand({
      TableName: table, Key: credentialKey(kind, id), ConditionExpression: '#tenant = :tenant',
      ExpressionAttributeNames: { '#tenant': 'tenant' }, ExpressionAttributeValues: { ':tenant': tenant },
    }))),

    async getZaloApp(appId) {
      const item = await get(zaloAppKey(appId));
      if (!item) return undefined;
      const app = v.parse(ZaloAppItemSchema, item);
      return {
        appId: app.appId, tenant: app.tenant, oaSecretKey: app.oaSecretKey, appSecret: app.appSecret,
        pendingKept: app.pendingKept, drainedIngested: app.drainedIngested, drainedDiscarded: app.drainedDiscarded,
      };
    },

    putZaloApp: ({ appId, tenant, oaSecretKey, appSecret, now }) => claim(zaloAppKey(appId), tenant, {
      updatedAt: now,
      ...(oaSecretKey !== undefined ? { oaSecretKey } : {}),
      ...(appSecret !== undefined ? { appSecret } : {}),
    }, { appId, createdAt: now }),

    putSiteCode: (code, tenant) => claim(siteCodeKey(code), tenant, {}, {}),

    deleteSiteCode: (code, tenant) => conditional(() => doc.send(new DeleteCommand({
      TableName: table, Key: siteCodeKey(code), ConditionExpression: '#tenant = :tenant',
      ExpressionAttributeNames: { '#tenant': 'tenant' }, ExpressionAttributeValues: { ':tenant': tenant },
    }))),

    listSiteCodes: () => attempt(async () => {
      const items = await queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SITE_PK } });
      return items.map((item) => v.parse(SiteCodeItemSchema, item)).map((item) => ({ code: item.sk, tenant: item.tenant }));
    }),

    putEsmsAccount: (tenant, sealed, now) => attempt(async () => {
      await doc.send(new PutCommand({ TableName: table, Item: { ...esmsAccountKey(tenant), tenant, sealed, updatedAt: now } }));
    }),

    async getEsmsAccount(tenant) {
      const item = await get(esmsAccountKey(tenant));
      return item ? v.parse(EsmsAccountItemSchema, item).sealed : undefined;
    },
  };
};
