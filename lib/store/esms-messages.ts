/**
 * The eSMS message store the domain's port asks for (lib/esms/ports.ts), assembled from its three parts:
 * the write path (lib/store/esms-callbacks.ts), the read paths (lib/store/esms-reads.ts) and the head's own
 * writes off the callback path (lib/store/esms-heads.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EsmsMessageStore } from '../esms/ports';
import { buildEsmsCallbackWriter, type RetentionDays } from './esms-callbacks';
import { expireHead } from './esms-heads';
import { buildEsmsReader } from './esms-reads';

export type { RetentionDays } from './esms-callbacks';

/**
 * `retention`: the tenant's retention of messages (TTL on every item written); default: kept.
 * `recipientsPerShard`: the batch layout's recipients per partition (lib/table/esms.ts; only the local stack's
 * throttle emulation lowers it, in proportion to the limits it divides).
 */
export const buildEsmsStore = (doc: DynamoDBDocumentClient, table: string, retention: RetentionDays = () => undefined, recipientsPerShard?: number): EsmsMessageStore => ({
  ...buildEsmsCallbackWriter(doc, table, retention, recipientsPerShard),
  ...buildEsmsReader(doc, table),
  expire: expireHead(doc, table),
});
