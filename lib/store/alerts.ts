/**
 * What alerts are derived from, in the messages table (layout: lib/table/destinations.ts `T#<tenant>#ALERT#<day>`):
 * a reconciliation run's finding of lost callbacks (its INSERT record makes `alert.callbacks_lost` in the
 * projector), and the per-hour claim that lets only the first kept raw item of an hour make
 * `alert.unparsed_events`.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReconcileFindings } from '../reconcile/ports';
import { ALERT_CLAIM_KIND, alertsPk, CALLBACKS_LOST_KIND, EVENT_RETENTION_DAYS, timeSk, unparsedClaimKey } from '../table/destinations';
import { TTL_ATTRIBUTE } from '../table/names';
import { vietnamDay } from '../time';
import { storageCall } from './errors';

const ttl = (at: number): number => Math.floor(at / 1000) + EVENT_RETENTION_DAYS * 86_400;

export const buildReconcileFindings = (doc: DynamoDBDocumentClient, table: string): ReconcileFindings => ({
  async add(tenant, finding) {
    const item = {
      pk: alertsPk(tenant, vietnamDay(finding.at)), sk: `LOST#${timeSk(finding.at, randomUUID().slice(0, 8))}`, kind: CALLBACKS_LOST_KIND, tenant, ...finding,
      [TTL_ATTRIBUTE]: ttl(finding.at),
    };
    await storageCall(() => doc.send(new PutCommand({ TableName: table, Item: item })));
  },
});

/**
 * Claims a tenant's hour of `alert.unparsed_events` for one kept raw item (`claimant`, its key): true when
 * this item holds the claim (first of the hour, or the same item's record again: a redelivery re-emits the
 * same alert under the same id), false when another item of the hour already did.
 */
export const buildUnparsedClaims = (doc: DynamoDBDocumentClient, table: string) => async (tenant: string, hour: string, claimant: string, at: number): Promise<boolean> => {
  return storageCall(() => doc.send(new PutCommand({
    TableName: table,
    Item: { ...unparsedClaimKey(tenant, hour), kind: ALERT_CLAIM_KIND, tenant, claimant, [TTL_ATTRIBUTE]: ttl(at) },
    ConditionExpression: 'attribute_not_exists(pk) OR claimant = :claimant',
    ExpressionAttributeValues: { ':claimant': claimant },
  })).then(() => true), () => false);
};
