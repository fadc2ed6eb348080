/**
 * Reads an OA's followers (the "list of interested people"). Follow/unfollow are written by the Zalo
 * state adapter (newest event wins per (OA, user)); this lists the users whose latest event is a follow.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { runInLanes } from '../lanes';
import { KIND } from '../table/names';
import { followerKey, FollowerItemSchema, followersPk, type FollowerItem } from '../table/zalo';
import type { FollowerBackfillWriter, FollowerStore, Page } from '../zalo/ports';
import { isConditionFailure, storageFailure } from './errors';

export const buildFollowerStore = (doc: DynamoDBDocumentClient, table: string): FollowerStore => ({
  async listFollowers(tenant, oaId, page): Promise<Page<FollowerItem> & { anyStored: boolean }> {
    const items: FollowerItem[] = [];
    let startKey = page.startKey;
    let anyStored = false;
    try {
      // The filter runs after Limit, so keep reading until the page is full or the partition ends.
      do {
        const result = await doc.send(new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'following = :yes',
          ExpressionAttributeValues: { ':pk': followersPk(tenant, oaId), ':yes': true },
          Limit: page.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }));
        items.push(...(result.Items ?? []).map((item) => v.parse(FollowerItemSchema, item)));
        anyStored ||= (result.ScannedCount ?? 0) > 0;
        startKey = result.LastEvaluatedKey;
      } while (startKey && items.length < page.limit);
    } catch (error) {
      throw storageFailure(error);
    }
    return { items, anyStored, ...(startKey ? { lastKey: startKey } : {}) };
  },
});

/**
 * The followers backfill's merge (`FollowerBackfillWriter`, lib/zalo-oa/ports.ts): per listed user one
 * conditional UpdateItem under the events' own newest-wins order (`ord`), so whichever arrives first, an
 * event after the listing wins and the listing wins over an event before it. A user stored as following
 * keeps the `followedAt` of its follow event; one stored as unfollowed (or new) has none (unknown).
 */
export const buildFollowerBackfillWriter = (doc: DynamoDBDocumentClient, table: string): FollowerBackfillWriter => ({
  async mergeListed(tenant, oaId, userIds, asOf, order) {
    const merge = async (userId: string): Promise<boolean> => {
      const values = { ':order': order, ':yes': true, ':kind': KIND.follower, ':tenant': tenant, ':oa': oaId, ':user': userId, ':at': asOf, ':event': 'backfill' };
      const set = 'SET #kind = :kind, tenant = :tenant, oaId = :oa, userId = :user, following = :yes, ord = :order, changedAt = :at, lastEvent = :event, listedAt = :at';
      const newer = '(attribute_not_exists(ord) OR ord < :order)';
      const attempt = async (condition: string, update: string): Promise<boolean> => {
        try {
          await doc.send(new UpdateCommand({
            TableName: table, Key: followerKey(tenant, oaId, userId), UpdateExpression: update, ConditionExpression: condition,
            ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: values,
          }));
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw storageFailure(error);
        }
      };
      // New or unfollowed (the common case of a backfill): one write; an older followedAt no longer holds.
      if (await attempt(`${newer} AND (attribute_not_exists(following) OR following <> :yes)`, `${set} REMOVE followedAt`)) return true;
      // Already following since an older event: move its order past the listing, keep when it followed.
      return attempt(`${newer} AND following = :yes`, set);
    };
    const outcomes = await runInLanes(userIds, 10, merge);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value).length;
  },
});
