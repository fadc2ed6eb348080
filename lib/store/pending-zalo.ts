/**
 * Requests of pending Zalo apps (PendingZaloRequests, lib/zalo/ports.ts; PendingDrainStore,
 * lib/tenants/ports.ts) in the registry table. Keeping one is a transaction: the app must still be pending
 * (no OA Secret Key) and under its cap, its counter is bumped and the request put, all or nothing. The key
 * being set on the app item conflicts with it, so a request is either kept before the key arrives (and the
 * drain that follows the key sees it) or refused as no longer pending (and verified by the webhook itself):
 * none is kept after the key arrives and then forgotten.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { TTL_ATTRIBUTE } from '../table/names';
import { PendingItemSchema, pendingPk, pendingSk, zaloAppKey } from '../table/registry';
import type { KeptPendingRequest, PendingDrainStore } from '../tenants/ports';
import type { PendingZaloRequests } from '../zalo/ports';
import { storageFailure } from './errors';

export interface PendingLimits {
  /** Requests kept per app while it is pending, ever. */
  cap: number;
  /** How long a kept request waits for its key. */
  ttlSeconds: number;
}

export const PENDING_LIMITS: PendingLimits = { cap: 10_000, ttlSeconds: 7 * 86_400 };

const cancelled = (error: unknown): boolean => error instanceof Error && error.name === 'TransactionCanceledException';

/** Why a transaction was cancelled: the first item's reason that is not 'None'. */
const reasonOf = (error: unknown): string | undefined => {
  if (!cancelled(error)) return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code).find((code) => code !== undefined && code !== 'None') ?? 'TransactionConflict';
};

let sequence = 0;

export const buildPendingZaloStore = (doc: DynamoDBDocumentClient, table: string, limits: PendingLimits = PENDING_LIMITS): PendingZaloRequests & PendingDrainStore => ({
  async keep(app, request) {
    sequence = (sequence + 1) % 1e10;
    const item = {
      pk: pendingPk(app.appId),
      sk: pendingSk(request.receivedAt, sequence, randomUUID().slice(0, 8)),
      raw: request.raw,
      headers: request.headers,
      receivedAt: request.receivedAt,
      [TTL_ATTRIBUTE]: Math.floor(request.receivedAt / 1000) + limits.ttlSeconds,
    };
    // Requests of one app contend for its counter: a transaction that lost a conflict is tried again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await doc.send(new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table, Key: zaloAppKey(app.appId),
                UpdateExpression: 'ADD #kept :one',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#secret) AND (attribute_not_exists(#kept) OR #kept < :cap)',
                ExpressionAttributeNames: { '#kept': 'pendingKept', '#secret': 'oaSecretKey' },
                ExpressionAttributeValues: { ':one': 1, ':cap': limits.cap },
              },
            },
            { Put: { TableName: table, Item: item } },
          ],
        }));
        return { kept: true, pending: true };
      } catch (error) {
        if (reasonOf(error) === 'ConditionalCheckFailed') break;
        if (reasonOf(error) !== 'TransactionConflict' || attempt >= 5) throw storageFailure(error);
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
      }
    }
    // Refused: tell a full app from one whose key arrived meanwhile (read after the refusal, so it is current).
    try {
      const current = (await doc.send(new GetCommand({ TableName: table, Key: zaloAppKey(app.appId), ConsistentRead: true }))).Item;
      return { kept: false, pending: current !== undefined && current.oaSecretKey === undefined };
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async oldest(appId, limit) {
    try {
      const { Items = [] } = await doc.send(new QueryCommand({
        TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pendingPk(appId) }, Limit: limit, ConsistentRead: true,
      }));
      return Items.map((raw): KeptPendingRequest => {
        const item = v.parse(PendingItemSchema, raw);
        return { id: item.sk, raw: item.raw, headers: item.headers, receivedAt: item.receivedAt };
      });
    } catch (error) {
      throw storageFailure(error);
    }
  },

  async settle(appId, ids, counts) {
    try {
      await doc.send(new TransactWriteCommand({
        TransactItems: [
          ...ids.map((id) => ({ Delete: { TableName: table, Key: { pk: pendingPk(appId), sk: id }, ConditionExpression: 'attribute_exists(pk)' } })),
          {
            Update: {
              TableName: table, Key: zaloAppKey(appId),
              UpdateExpression: 'ADD #ingested :ingested, #discarded :discarded',
              ExpressionAttributeNames: { '#ingested': 'drainedIngested', '#discarded': 'drainedDiscarded' },
              ExpressionAttributeValues: { ':ingested': counts.ingested, ':discarded': counts.discarded },
            },
          },
        ],
      }));
      return true;
    } catch (error) {
      if (cancelled(error)) return false;
      throw storageFailure(error);
    }
  },
});
