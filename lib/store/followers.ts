/**
 * Reads an OA's followers (the "list of interested people"). Follow/unfollow are written by the Zalo
 * state adapter (newest event wins per (OA, user)); this lists the users whose latest event is a follow.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { followersPk } from '../zalo/state';
import { storageFailure } from './errors';
import type { Page, PageKey } from './zalo-events';

export const FollowerItemSchema = v.looseObject({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal('follower'),
  oaId: v.string(),
  userId: v.string(),
  following: v.boolean(),
  changedAt: v.number(),
  followedAt: v.optional(v.number()),
  source: v.optional(v.string()),
  userIdByApp: v.optional(v.string()),
});
export type FollowerItem = v.InferOutput<typeof FollowerItemSchema>;

export const buildFollowerStore = (doc: DynamoDBDocumentClient, table: string) => ({
  /** Up to `limit` current followers after `startKey`, in user-id order. */
  async listFollowers(oaId: string, page: { limit: number; startKey?: PageKey }): Promise<Page<FollowerItem>> {
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
export type FollowerStore = ReturnType<typeof buildFollowerStore>;
