/**
 * DynamoDB adapter of the `ZaloEventStore` port (lib/zalo/ports.ts): Zalo events and their copies, keyed
 * as lib/table/zalo.ts says. The event item is one conditional Put: if an item with its key exists, the
 * event was already stored (a redelivery) and `duplicate` is answered. Copies are conditional too, so a
 * redelivery never rewrites them. Only this file knows the condition failure.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationPk, conversationSk, messagePk, namedInRaw, readZaloItem, receiptsPk, type StoredZaloEvent } from '../table/zalo';
import type { Page, PageKey, WriteOutcome, ZaloEventStore } from '../zalo/ports';
import { isConditionFailure, storageFailure } from './errors';

/**
 * How far a message's receipts are looked for in its conversation: pages of up to 1 MB read from the
 * message's first event on. Zalo sends a seen receipt when the user opens the chat, so the receipt of a
 * message is among the first ones after it; 4 MB holds at least 16 receipts of the largest size.
 */
const MAX_RECEIPT_PAGES = 4;

export const buildZaloEventStore = (doc: DynamoDBDocumentClient, table: string): ZaloEventStore => {
  const putOnce = async (item: StoredZaloEvent): Promise<WriteOutcome> => {
    try {
      const result = await doc.send(new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { duplicate: false, consumedWcu: result.ConsumedCapacity?.CapacityUnits };
    } catch (error) {
      if (isConditionFailure(error)) return { duplicate: true, consumedWcu: undefined };
      throw storageFailure(error);
    }
  };

  interface QueryOptions { limit?: number; startKey?: PageKey; newestFirst?: boolean; skFrom?: string; naming?: string }
  const query = async (pk: string, options: QueryOptions = {}): Promise<Page<StoredZaloEvent>> => {
    try {
      const result = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: options.skFrom === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :from',
        ...(options.naming !== undefined && { FilterExpression: 'contains(#raw, :msg)', ExpressionAttributeNames: { '#raw': 'raw' } }),
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(options.skFrom !== undefined && { ':from': options.skFrom }),
          ...(options.naming !== undefined && { ':msg': namedInRaw(options.naming) }),
        },
        ConsistentRead: true,
        ScanIndexForward: !options.newestFirst,
        ...(options.limit ? { Limit: options.limit } : {}),
        ...(options.startKey ? { ExclusiveStartKey: options.startKey } : {}),
      }));
      return { items: (result.Items ?? []).map(readZaloItem), ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey } : {}) };
    } catch (error) {
      throw storageFailure(error);
    }
  };

  /** Every page of a query, up to `maxPages` (each up to 1 MB). */
  const queryPages = async (pk: string, options: QueryOptions, maxPages: number): Promise<StoredZaloEvent[]> => {
    const items: StoredZaloEvent[] = [];
    let startKey: PageKey | undefined;
    let pages = 0;
    do {
      const page = await query(pk, { ...options, ...(startKey && { startKey }) });
      items.push(...page.items);
      startKey = page.lastKey;
      pages += 1;
    } while (startKey && pages < maxPages);
    return items;
  };

  return {
    putEvent: putOnce,

    async putCopies(items) {
      const results = await Promise.all(items.map(putOnce));
      return results.reduce((sum, result) => sum + (result.consumedWcu ?? 0), 0);
    },

    async eventsOfMessage(tenant, msgId) {
      const own = await queryPages(messagePk(tenant, msgId), {}, Infinity);
      // Receipts naming several messages live once per (OA, user): look there, from the message's first event on.
      const conversations = new Map<string, { oaId: string; userId: string; from: number }>();
      for (const event of own) {
        if (event.oaId === undefined || event.userId === undefined) continue;
        const key = `${event.oaId}#${event.userId}`;
        const from = Math.min(conversations.get(key)?.from ?? Infinity, event.eventTime);
        conversations.set(key, { oaId: event.oaId, userId: event.userId, from });
      }
      const receipts = await Promise.all([...conversations.values()].map(({ oaId, userId, from }) =>
        queryPages(receiptsPk(tenant, oaId, userId), { skFrom: conversationSk(from, ''), naming: msgId }, MAX_RECEIPT_PAGES)));
      return [...own, ...receipts.flat()];
    },

    conversation: (tenant, oaId, userId, page) => query(conversationPk(tenant, oaId, userId), page),
  };
};
