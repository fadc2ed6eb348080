/**
 * DynamoDB adapter for connected OAs' tokens (already sealed by the caller: this file never sees a
 * plaintext token). All OAs share one partition so the hourly refresher finds the ones about to expire
 * with one Query; the count of OAs is small. `ver` makes a refresh a compare-and-swap: a refresh token
 * is single-use, so a stale writer must never overwrite the pair another writer just stored.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { KIND } from '../table/names';
import { isConditionFailure, storageFailure } from './errors';
import { queryAll } from './query-all';

const PK = 'OAUTH';
const keyOf = (oaId: string) => ({ pk: PK, sk: `OA#${oaId}` });

export const TokenRecordSchema = v.object({
  kind: v.literal('oauth'),
  oaId: v.string(),
  appId: v.string(),
  /** Sealed (crypto.ts), never plaintext. */
  access: v.string(),
  refresh: v.string(),
  accessExpiresAt: v.number(),
  connectedAt: v.number(),
  refreshedAt: v.number(),
  /** Zalo confirmed the token belongs to `oaId` (getoa); false when it could not tell. */
  verified: v.boolean(),
  ver: v.number(),
});
export type TokenRecord = v.InferOutput<typeof TokenRecordSchema>;
export type NewTokens = Omit<TokenRecord, 'kind' | 'ver'>;

const update = (record: NewTokens) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1, ':kind': KIND.oauth };
  const sets = ['kind = :kind'];
  Object.entries(record).forEach(([attribute, value], index) => {
    names[`#a${index}`] = attribute;
    values[`:a${index}`] = value;
    sets.push(`#a${index} = :a${index}`);
  });
  return { UpdateExpression: `SET ${sets.join(', ')} ADD ver :one`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

export const buildTokenStore = (doc: DynamoDBDocumentClient, table: string) => ({
  /** A new authorization: the latest one wins whatever was stored. */
  async save(record: NewTokens): Promise<void> {
    try {
      await doc.send(new UpdateCommand({ TableName: table, Key: keyOf(record.oaId), ...update(record) }));
    } catch (error) {
      throw storageFailure(error);
    }
  },

  /** A refresh: stored only if nobody wrote since `expectedVer` was read; false when someone did. */
  async replace(record: NewTokens, expectedVer: number): Promise<boolean> {
    const { ExpressionAttributeValues, ...rest } = update(record);
    try {
      await doc.send(new UpdateCommand({
        TableName: table,
        Key: keyOf(record.oaId),
        ...rest,
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':expected': expectedVer },
        ConditionExpression: 'ver = :expected',
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storageFailure(error);
    }
  },

  async get(oaId: string): Promise<TokenRecord | undefined> {
    try {
      const item = (await doc.send(new GetCommand({ TableName: table, Key: keyOf(oaId), ConsistentRead: true }))).Item;
      return item ? v.parse(TokenRecordSchema, item) : undefined;
    } catch (error) {
      throw storageFailure(error);
    }
  },

  /** Every OA whose access token expires before `before` (epoch ms). */
  async expiringBefore(before: number): Promise<TokenRecord[]> {
    const items = await queryAll(doc, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'accessExpiresAt < :before',
      ExpressionAttributeValues: { ':pk': PK, ':before': before },
      ConsistentRead: true,
    });
    return items.map((item) => v.parse(TokenRecordSchema, item));
  },
});
export type TokenStore = ReturnType<typeof buildTokenStore>;
