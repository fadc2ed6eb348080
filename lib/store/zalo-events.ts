/**
 * DynamoDB adapter of the `ZaloEventStore` port (lib/zalo/ports.ts): Zalo events and their copies, keyed
 * as lib/table/zalo.ts says. The event item is one conditional Put: if an item with its key exists, the
 * event was already stored (a redelivery) and `duplicate` is answered. Copies are conditional too, so a
 * redelivery never rewrites them. Only this file knows the condition failure.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationPk, messagePk, readZaloItem, type StoredZaloEvent } from '../table/zalo';
import type { Page, PageKey, WriteOutcome, ZaloEventStore } from '../zalo/ports';
import { isConditionFailure, storageFailure } from './errors';

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

  const query = async (pk: string, options: { limit?: number; startKey?: PageKey; newestFirst?: boolean } = {}): Promise<Page<StoredZaloEvent>> => {
    try {
      const result = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
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

  return {
    putEvent: putOnce,

    async putCopies(items) {
      const results = await Promise.all(items.map(putOnce));
      return results.reduce((sum, result) => sum + (result.consumedWcu ?? 0), 0);
    },

    async eventsOfMessage(msgId) {
      const items: StoredZaloEvent[] = [];
      let startKey: PageKey | undefined;
      do {
        const page = await query(messagePk(msgId), startKey ? { startKey } : {});
        items.push(...page.items);
        startKey = page.lastKey;
      } while (startKey);
      return items;
    },

    conversation: (oaId, userId, page) => query(conversationPk(oaId, userId), page),
  };
};
