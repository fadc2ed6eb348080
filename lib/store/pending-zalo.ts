/**
 * Requests of pending Zalo apps (PendingZaloRequests, lib/zalo/ports.ts; PendingDrainStore,
 * lib/tenants/ports.ts) in the registry table. Keeping one is a transaction: the app must still be pending
 * (no OA Secret Key), registered less than the window ago and under its cap, the request's source network
 * under its share of that cap; both counters are bumped and the request put, all or nothing. The key
 * being set on the app item conflicts with it, so a request is either kept before the key arrives (and the
 * drain that follows the key sees it) or refused as no longer pending (and verified by the webhook itself):
 * none is kept after the key arrives and then forgotten.
 *
 * Why shares: nothing of a pending app's request can be verified, so anyone who knows the app id can send
 * requests that are kept. Counting them per source network (API Gateway's source IP, which a client cannot
 * choose: /24 for IPv4, /48 for IPv6) lets one network fill only its own share, so a forger on one network
 * no longer crowds out Zalo's signed requests (issue 22 finding 2). What remains possible is in
 * docs/security.md: a forger with requests from ten networks can still fill the app's room within the window.
 *
 * An app of the settings (`ZALO_APPS` with an empty key) has no registry item: the first request kept
 * creates one for the tenant `default` (and refuses when another tenant's app has that id).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { TTL_ATTRIBUTE } from '../table/names';
import { PendingItemSchema, pendingPk, pendingSk, pendingSourceKey, zaloAppKey } from '../table/registry';
import type { KeptPendingRequest, PendingDrainStore } from '../tenants/ports';
import type { PendingZaloRequests, ZaloApp } from '../zalo/ports';
import { storageFailure } from './errors';

export interface PendingLimits {
  /** Requests kept per app while it is pending, ever. */
  cap: number;
  /** How long a kept request waits for its key; also how long after its registration an app keeps requests. */
  ttlSeconds: number;
  /** Requests kept per app and source network, ever (default: a tenth of the cap). */
  perSource?: number;
}

export const PENDING_LIMITS: PendingLimits = { cap: 10_000, ttlSeconds: 7 * 86_400 };

/** The share of an app's cap one source network may take. */
export const PENDING_SOURCE_SHARE = 10;
export const UNKNOWN_SOURCE = 'unknown';

const cancelled = (error: unknown): boolean => error instanceof Error && error.name === 'TransactionCanceledException';

/** Why a transaction was cancelled: the first item's reason that is not 'None'. */
const reasonOf = (error: unknown): string | undefined => {
  if (!cancelled(error)) return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code).find((code) => code !== undefined && code !== 'None') ?? 'TransactionConflict';
};

let sequence = 0;

/**
 * The app item's part of the transaction: still pending, inside the window, under the cap. An app of the
 * settings creates its item (tenant `default`) on its first kept request.
 */
const appUpdate = (table: string, app: ZaloApp, limits: PendingLimits, now: number) => {
  const names = { '#kept': 'pendingKept', '#secret': 'oaSecretKey', '#created': 'createdAt' };
  const values = { ':one': 1, ':cap': limits.cap, ':since': now - limits.ttlSeconds * 1000 };
  const open = 'attribute_not_exists(#secret) AND (attribute_not_exists(#kept) OR #kept < :cap)';
  if (!app.fromSettings) {
    return {
      TableName: table, Key: zaloAppKey(app.appId), UpdateExpression: 'ADD #kept :one',
      ConditionExpression: `attribute_exists(pk) AND ${open} AND #created >= :since`,
      ExpressionAttributeNames: names, ExpressionAttributeValues: values,
    };
  }
  return {
    TableName: table, Key: zaloAppKey(app.appId),
    UpdateExpression: 'SET #tenant = if_not_exists(#tenant, :tenant), #app = if_not_exists(#app, :app), #created = if_not_exists(#created, :now), #updated = :now ADD #kept :one',
    ConditionExpression: `(attribute_not_exists(pk) OR (#tenant = :tenant AND #created >= :since)) AND ${open}`,
    ExpressionAttributeNames: { ...names, '#tenant': 'tenant', '#app': 'appId', '#updated': 'updatedAt' },
    ExpressionAttributeValues: { ...values, ':tenant': app.tenant, ':app': app.appId, ':now': now },
  };
};

export const buildPendingZaloStore = (doc: DynamoDBDocumentClient, table: string, limits: PendingLimits = PENDING_LIMITS): PendingZaloRequests & PendingDrainStore => ({
  async keep(app, request) {
    sequence = (sequence + 1) % 1e10;
    const source = request.source ?? UNKNOWN_SOURCE;
    const expiresAt = Math.floor(request.receivedAt / 1000) + limits.ttlSeconds;
    const item = {
      pk: pendingPk(app.appId),
      sk: pendingSk(request.receivedAt, sequence, randomUUID().slice(0, 8)),
      raw: request.raw,
      headers: request.headers,
      receivedAt: request.receivedAt,
      source,
      [TTL_ATTRIBUTE]: expiresAt,
    };
    const perSource = limits.perSource ?? Math.max(1, Math.floor(limits.cap / PENDING_SOURCE_SHARE));
    // Requests of one app contend for its counter: a transaction that lost a conflict is tried again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await doc.send(new TransactWriteCommand({
          TransactItems: [
            { Update: appUpdate(table, app, limits, request.receivedAt) },
            {
              Update: {
                TableName: table, Key: pendingSourceKey(app.appId, source),
                UpdateExpression: 'ADD #kept :one SET #ttl = :ttl',
                ConditionExpression: 'attribute_not_exists(#kept) OR #kept < :share',
                ExpressionAttributeNames: { '#kept': 'kept', '#ttl': TTL_ATTRIBUTE },
                ExpressionAttributeValues: { ':one': 1, ':share': perSource, ':ttl': expiresAt },
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
      // An app of the settings is pending by the settings, whatever its item says.
      return { kept: false, pending: app.fromSettings === true || (current !== undefined && current.oaSecretKey === undefined) };
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
