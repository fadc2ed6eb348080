/**
 * DynamoDB adapter for the state derived from Zalo events (followers, consents, templates, quotas,
 * journeys): each change is one UpdateItem that applies only when it is newer than the stored order.
 * A refused change is not an error: a newer event already won.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { journeyKey, oaStatePk, type NewestWins } from '../zalo/state';
import { isConditionFailure, storageFailure } from './errors';

export const buildZaloStateStore = (doc: DynamoDBDocumentClient, table: string) => ({
  async apply({ key, kind, orderAttribute, order, set }: NewestWins): Promise<{ applied: boolean; consumedWcu: number | undefined }> {
    const names: Record<string, string> = { '#kind': 'kind', '#order': orderAttribute };
    const values: Record<string, unknown> = { ':kind': kind, ':order': order };
    const sets = ['#kind = :kind', '#order = :order'];
    Object.entries(set).forEach(([attribute, value], index) => {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    });
    try {
      const result = await doc.send(new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#order) OR #order < :order',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { applied: true, consumedWcu: result.ConsumedCapacity?.CapacityUnits };
    } catch (error) {
      if (isConditionFailure(error)) return { applied: false, consumedWcu: undefined };
      throw storageFailure(error);
    }
  },

  /** Every per-OA state item: templates (`TPL#…`), `QUOTA`, `TAGS`, consents (`CONSENT#…`). */
  async oaState(oaId: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await doc.send(new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': oaStatePk(oaId) },
          ExclusiveStartKey: start,
        }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      throw storageFailure(error);
    }
    return items;
  },

  async journey(journeyId: string): Promise<Record<string, unknown> | undefined> {
    try {
      return (await doc.send(new GetCommand({ TableName: table, Key: journeyKey(journeyId) }))).Item;
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
export type ZaloStateStore = ReturnType<typeof buildZaloStateStore>;
