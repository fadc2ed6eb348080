/**
 * DynamoDB adapter for Zalo events and their copies. The event item is one conditional Put: if an item
 * with its key exists, the event was already stored (a redelivery) and `duplicate` is answered. Copies
 * are conditional too, so a redelivery never rewrites them. Only this file knows the condition failure.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationPk, messagePk, readZaloItem, type StoredZaloEvent } from '../zalo/stored';
import { isConditionFailure, storageFailure } from './errors';

export type PageKey = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  /** DynamoDB's LastEvaluatedKey: more may follow. */
  lastKey?: PageKey;
}

export const buildZaloEventStore = (doc: DynamoDBDocumentClient, table: string) => {
  const putOnce = async (item: StoredZaloEvent): Promise<{ duplicate: boolean; consumedWcu: number | undefined }> => {
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
    /** One conditional Put; `duplicate` when this event is already stored. */
    putEvent: putOnce,

    /** Writes the copies that are not there yet; returns the WCU consumed by the new ones. */
    async putCopies(items: readonly StoredZaloEvent[]): Promise<number> {
      const results = await Promise.all(items.map(putOnce));
      return results.reduce((sum, result) => sum + (result.consumedWcu ?? 0), 0);
    },

    /** Every event naming this msg_id (event items and copies), oldest key first. */
    async eventsOfMessage(msgId: string): Promise<StoredZaloEvent[]> {
      const items: StoredZaloEvent[] = [];
      let startKey: PageKey | undefined;
      do {
        const page = await query(messagePk(msgId), startKey ? { startKey } : {});
        items.push(...page.items);
        startKey = page.lastKey;
      } while (startKey);
      return items;
    },

    /** One page of an OA–user conversation, in time order. */
    conversation: (oaId: string, userId: string, page: { limit: number; startKey?: PageKey; newestFirst?: boolean }) =>
      query(conversationPk(oaId, userId), page),
  };
};
export type ZaloEventStore = ReturnType<typeof buildZaloEventStore>;
