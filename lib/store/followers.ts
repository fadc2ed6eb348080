/**
 * Reads an OA's followers (the "list of interested people"). Follow/unfollow are written by the Zalo
 * state adapter (newest event wins per (OA, user)); this lists the users whose latest event is a follow.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { FollowerItemSchema, followersPk, type FollowerItem } from '../table/zalo';
import type { FollowerStore, Page } from '../zalo/ports';
import { storageFailure } from './errors';

export const buildFollowerStore = (doc: DynamoDBDocumentClient, table: string): FollowerStore => ({
  async listFollowers(oaId, page): Promise<Page<FollowerItem>> {
    const items: FollowerItem[] = [];
    let startKey = page.startKey;
    try {
      // The filter runs after Limit, so keep reading until the page is full or the partition ends.
      do {
        const result = await doc.send(new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'following = :yes',
          ExpressionAttributeValues: { ':pk': followersPk(oaId), ':yes': true },
          Limit: page.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }));
        items.push(...(result.Items ?? []).map((item) => v.parse(FollowerItemSchema, item)));
        startKey = result.LastEvaluatedKey;
      } while (startKey && items.length < page.limit);
    } catch (error) {
      throw storageFailure(error);
    }
    return { items, ...(startKey ? { lastKey: startKey } : {}) };
  },
});
