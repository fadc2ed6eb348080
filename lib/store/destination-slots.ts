/**
 * A destination's in-flight slots (port: lib/destinations/ports.ts `InFlightSlots`; keys: lib/table/destinations.ts):
 * one small item per slot held, a lease with its end. Taking one reads the destination's slots (one Query,
 * eventually consistent) and puts a free one with a condition (absent, or its lease over): two deliveries that
 * pick the same slot cannot both hold it; the loser tries the next free one, once. Releasing deletes the item
 * if the lease is still this delivery's.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InFlightSlots } from '../destinations/ports';
import { SLOT_KIND, slotKey, slotsPk } from '../table/destinations';
import { TTL_ATTRIBUTE } from '../table/names';
import { storageCall } from './errors';

export const buildInFlightSlots = (doc: DynamoDBDocumentClient, table: string): InFlightSlots => ({
  async take(tenant, destination, cap, now, until) {
    const answer = await storageCall(() => doc.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': slotsPk(tenant, destination) },
    })));
    const held = new Set((answer.Items ?? []).filter((item) => Number(item.until) > now).map((item) => String(item.sk)));
    const free = Array.from({ length: cap }, (_, k) => k).filter((k) => !held.has(slotKey(tenant, destination, k).sk));
    // A random free slot first: deliveries reading the same slots at once rarely pick the same one.
    for (let tries = 0; tries < 2 && free.length > 0; tries += 1) {
      const [k] = free.splice(Math.floor(Math.random() * free.length), 1);
      const lease = randomUUID();
      const taken = await storageCall(() => doc.send(new PutCommand({
        TableName: table,
        Item: { ...slotKey(tenant, destination, k!), kind: SLOT_KIND, lease, until, [TTL_ATTRIBUTE]: Math.ceil(until / 1000) + 3600 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now },
      })).then(() => true), () => false);
      if (taken) return `${k}#${lease}`;
    }
    return undefined;
  },

  async release(tenant, destination, token) {
    const [k, lease] = token.split('#');
    await storageCall(() => doc.send(new DeleteCommand({
      TableName: table, Key: slotKey(tenant, destination, Number(k)),
      ConditionExpression: 'lease = :lease', ExpressionAttributeValues: { ':lease': lease },
    })), () => undefined);
  },
});
