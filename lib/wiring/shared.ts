/** Built once per Lambda instance: settings, the DynamoDB client and the adapters over it. */
import { settings } from '../config/settings';
import { buildDocumentClient } from '../store/client';
import { buildRejectedStore } from '../store/rejected';
import { buildRegistryStore } from '../store/registry';
import { buildTenantRetention } from '../tenants/retention';

export const config = settings();
export const doc = buildDocumentClient(config.dynamodbEndpoint);
export const rejectedStore = buildRejectedStore(doc, config.messagesTable, config.rejectedRetentionDays);
/** Days a tenant's eSMS messages are kept (TTL): its registry `retentionDays`, else MESSAGE_RETENTION_DAYS; cached per REGISTRY_CACHE_SECONDS. */
export const messageRetention = config.registryTable === undefined
  ? (_tenant: string): number | undefined => config.messageRetentionDays
  : buildTenantRetention({
    load: async (tenant) => (await buildRegistryStore(doc, config.registryTable!).getTenant(tenant))?.retentionDays,
    fallback: config.messageRetentionDays,
    ttlMs: config.registryCacheTtlMs,
  });
