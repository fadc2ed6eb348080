/** Built once per Lambda instance: settings, the DynamoDB client and the adapters over it. */
import { settings } from '../config/settings';
import { buildDocumentClient } from '../store/client';
import { buildRejectedStore } from '../store/rejected';

export const config = settings();
export const doc = buildDocumentClient(config.dynamodbEndpoint);
export const rejectedStore = buildRejectedStore(doc, config.messagesTable, config.rejectedRetentionDays);
/** Days a tenant's eSMS messages are kept (TTL); the environment's MESSAGE_RETENTION_DAYS for every tenant until the registry holds one. */
export const messageRetention = (_tenant: string): number | undefined => config.messageRetentionDays;
