/**
 * Every callback item of one recipient of a message (its phone's items, in the partition its layout puts
 * them): the projector reads them to tell whether an inserted callback changed that recipient's status.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { OVERFLOW_SK_PREFIX, OverflowItemSchema, overflowKey, type OverflowItem } from '../table/esms';
import { queryAll } from './query-all';

export const buildPhoneItemsReader = (doc: DynamoDBDocumentClient, table: string) => async (item: OverflowItem): Promise<OverflowItem[]> => {
  const { pk } = overflowKey(item.tenant, item.smsId, item.ph, item.id, item.sh ?? 1);
  const items = await queryAll(doc, {
    TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': `${OVERFLOW_SK_PREFIX}${item.ph ?? '-'}#` },
  });
  return items.map((found) => v.parse(OverflowItemSchema, found));
};
