/**
 * DynamoDB adapter of the tenant registry (RegistryStore, lib/tenants/ports.ts) on the registry table,
 * keyed as lib/table/registry.ts says. Values arrive hashed or sealed; reads are strongly consistent so an
 * admin change is seen by the next request that reaches the table.
 */
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import {
  apiKeyKey, credentialIndexKey, CredentialIndexItemSchema, CredentialItemSchema, EsmsAccountItemSchema, tenantCredentialsPk, esmsAccountKey, esmsTokenKey, SITE_PK, siteCodeKey, SiteCodeItemSchema,
  TENANTS_PK, TenantItemSchema, tenantKey, zaloAppKey, ZaloAppItemSchema,
} from '../table/registry';
import type { CredentialKind, RegistryStore, Tenant } from '../tenants/ports';
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

/** A transaction that one of its conditions refused (not one that conflicted with another). */
const isTransactionConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'TransactionCanceledException'
  && ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');

/** Runs a conditional write or transaction: false when a condition refused it. */
const conditional = async (run: () => Promise<unknown>): Promise<boolean> => {
  try {
    await run();
    return true;
  } catch (error) {
    if (isConditionFailure(error) || isTransactionConditionFailure(error)) return false;
    throw storageFailure(error);
  }
};

const tenantOf = (item: Record<string, unknown>): Tenant => {
  const parsed = v.parse(TenantItemSchema, item);
  return { id: parsed.sk, name: parsed.name, createdAt: parsed.createdAt, retentionDays: parsed.retentionDays, ...(parsed.suspended && { suspended: true }) };
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
      return item ? tenantOf(item) : undefined;
    },

    listTenants: () => attempt(async () => {
      const items = await queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': TENANTS_PK } });
      return items.map(tenantOf);
    }),

    async updateTenant(id, change) {
      const set = Object.entries(change).filter(([, value]) => value !== undefined);
      if (set.length === 0) return this.getTenant(id);
      try {
        const { Attributes } = await doc.send(new UpdateCommand({
          TableName: table, Key: tenantKey(id),
          UpdateExpression: `SET ${set.map((_, index) => `#a${index} = :a${index}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(set.map(([name], index) => [`#a${index}`, name])),
          ExpressionAttributeValues: Object.fromEntries(set.map(([, value], index) => [`:a${index}`, value])),
          ReturnValues: 'ALL_NEW',
        }));
        return tenantOf(Attributes!);
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw storageFailure(error);
      }
    },

    // An API key checks the tenant's `suspended` in the same transaction, so a key created while a PATCH
    // suspends the tenant is either seen by the PATCH's listing or created suspended.
    putCredential: (kind, id, credential) => conditional(() => doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...credentialKey(kind, id), ...credential }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table, Item: { ...credentialIndexKey(credential.tenant, kind, id), kind, id, createdAt: credential.createdAt } } },
        ...(kind === 'api-key' ? [{
          ConditionCheck: {
            TableName: table, Key: tenantKey(credential.tenant),
            ConditionExpression: credential.suspended ? '#s = :true' : 'attribute_not_exists(#s) OR #s = :false',
            ExpressionAttributeNames: { '#s': 'suspended' },
            ExpressionAttributeValues: credential.suspended ? { ':true': true } : { ':false': false },
          },
        }] : []),
      ],
    }))),

    async getCredential(kind, id) {
      const item = await get(credentialKey(kind, id));
      if (!item) return undefined;
      const { tenant, hash, suspended } = v.parse(CredentialItemSchema, item);
      return { tenant, hash, ...(suspended && { suspended: true }) };
    },

    deleteCredential: (kind, id, tenant) => conditional(() => doc.send(new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: table, Key: credentialKey(kind, id), ConditionExpression: '#tenant = :tenant',
            ExpressionAttributeNames: { '#tenant': 'tenant' }, ExpressionAttributeValues: { ':tenant': tenant },
          },
        },
        { Delete: { TableName: table, Key: credentialIndexKey(tenant, kind, id) } },
      ],
    }))),

    setKeySuspended: (id, tenant, suspended) => conditional(() => doc.send(new UpdateCommand({
      TableName: table, Key: apiKeyKey(id), UpdateExpression: 'SET #s = :s', ConditionExpression: '#tenant = :tenant',
      ExpressionAttributeNames: { '#tenant': 'tenant', '#s': 'suspended' }, ExpressionAttributeValues: { ':tenant': tenant, ':s': suspended },
    }))),

    listTenantCredentials: (tenant) => attempt(async () => {
      const items = await queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': tenantCredentialsPk(tenant) } });
      return items.map((item) => v.parse(CredentialIndexItemSchema, item)).map(({ kind, id, createdAt, lastUsedAt }) => ({ kind, id, createdAt, ...(lastUsedAt !== undefined && { lastUsedAt }) }));
    }),

    async getZaloApp(appId) {
      const item = await get(zaloAppKey(appId));
      if (!item) return undefined;
      const app = v.parse(ZaloAppItemSchema, item);
      return {
        appId: app.appId, tenant: app.tenant, oaSecretKey: app.oaSecretKey, appSecret: app.appSecret,
        pendingKept: app.pendingKept, drainedIngested: app.drainedIngested, drainedDiscarded: app.drainedDiscarded,
      };
    },

    async putZaloApp({ appId, tenant, oaSecretKey, appSecret, now }) {
      const outcome = await claim(zaloAppKey(appId), tenant, {
        updatedAt: now,
        ...(oaSecretKey !== undefined ? { oaSecretKey } : {}),
        ...(appSecret !== undefined ? { appSecret } : {}),
      }, { appId, createdAt: now });
      // After the app's item, on every PUT: a PUT cut short between the two is repaired by the next one.
      if (outcome !== 'conflict') {
        await conditional(() => doc.send(new PutCommand({
          TableName: table, Item: { ...credentialIndexKey(tenant, 'zalo-app', appId), kind: 'zalo-app', id: appId, createdAt: now }, ConditionExpression: 'attribute_not_exists(pk)',
        })));
      }
      return outcome;
    },

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
