/** The Zalo eraser's storage (lib/zalo/erasure.ts) over the messages table. */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { ConsentPointerSchema, consentKey, consentPointersPk } from '../table/zalo';
import type { ErasedPhone, ZaloErasureStore } from '../zalo/ports';
import { storageCall } from './errors';

type Item = Record<string, unknown>;

const send = storageCall;

/**
 * Consent events hold the phone in their sort key too (it is part of their dedup key). The erased key
 * gets a random suffix: two phones' events of the same millisecond would otherwise meet on one key, and a
 * hash of the old key would only pseudonymise a number (phones are few enough to try them all).
 */
const erasedSk = (sk: string, phone: ErasedPhone): string => `${phone.scrub(sk)}#x${randomUUID().slice(0, 8)}`;

export const buildZaloErasureStore = (doc: DynamoDBDocumentClient, table: string): ZaloErasureStore => ({
  async consentPointers(tenant, phone, limit) {
    const page = await send(() => doc.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': consentPointersPk(tenant, phone.normalised) },
      Limit: limit, ConsistentRead: true,
    })));
    return (page.Items ?? []).map((item) => {
      const pointer = v.parse(ConsentPointerSchema, item);
      return { oaId: pointer.oaId, day: pointer.day, part: pointer.part, key: { pk: pointer.pk, sk: pointer.sk } };
    });
  },

  async scrubPartition(pk, phone, budget, after) {
    let changed = 0;
    let last = after;
    let start: Item | undefined = after === undefined ? undefined : { pk, sk: after };
    do {
      // Zalo writes a phone as digits (`84…`): the filter narrows on them, the domain's pattern decides.
      const page = await send(() => doc.send(new QueryCommand({
        TableName: table, KeyConditionExpression: 'pk = :pk', FilterExpression: 'contains(#raw, :n)',
        ExpressionAttributeNames: { '#raw': 'raw' }, ExpressionAttributeValues: { ':pk': pk, ':n': phone.needle },
        ExclusiveStartKey: start, ConsistentRead: true,
      })));
      for (const item of page.Items ?? []) {
        if (budget.now() >= budget.deadline) return { changed, complete: false, last };
        const raw = String(item.raw);
        const sk = String(item.sk);
        last = sk;
        if (!phone.isIn(raw)) continue;
        if (phone.isIn(sk)) {
          await send(() => doc.send(new PutCommand({
            TableName: table, Item: { ...item, sk: erasedSk(sk, phone), raw: phone.scrub(raw) }, ConditionExpression: 'attribute_not_exists(pk)',
          })));
          await send(() => doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk } })));
        } else {
          await send(() => doc.send(new UpdateCommand({
            TableName: table, Key: { pk: item.pk, sk }, UpdateExpression: 'SET #raw = :raw',
            ExpressionAttributeNames: { '#raw': 'raw' }, ExpressionAttributeValues: { ':raw': phone.scrub(raw) },
          })));
        }
        changed += 1;
      }
      if (page.LastEvaluatedKey !== undefined) last = String(page.LastEvaluatedKey.sk);
      start = page.LastEvaluatedKey;
      if (start !== undefined && budget.now() >= budget.deadline) return { changed, complete: false, last };
    } while (start);
    return { changed, complete: true };
  },

  async deleteConsent(tenant, oaId, phone) {
    const deleted = await Promise.all(phone.spellings.map(async (spelling) => {
      const { Attributes } = await send(() => doc.send(new DeleteCommand({ TableName: table, Key: consentKey(tenant, oaId, spelling), ReturnValues: 'ALL_OLD' })));
      return Attributes === undefined ? 0 : 1;
    }));
    return deleted.reduce<number>((sum, one) => sum + one, 0);
  },

  async deletePointer(key) {
    await send(() => doc.send(new DeleteCommand({ TableName: table, Key: key })));
  },
});
