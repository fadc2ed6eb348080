/**
 * DynamoDB adapter for the state derived from Zalo events (followers, consents, templates, quotas,
 * journeys): each change is one UpdateItem that applies only when it is newer than the stored order.
 * A refused change is not an error: a newer event already won.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { consentKey, journeyKey, oaStatePk, type NewestWins } from '../zalo/state';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

type Item = Record<string, unknown>;

export const buildZaloStateStore = (doc: DynamoDBDocumentClient, table: string) => {
  const getItem = async (key: { pk: string; sk: string }): Promise<Item | undefined> => {
    try {
      return (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    } catch (error) {
      throw storageFailure(error);
    }
  };

  return {
    async apply({ key, kind, orderAttribute, order, set }: NewestWins): Promise<{ applied: boolean; consumedWcu: number | undefined }> {
      const attributes = placeholders(Object.entries(set), 'a');
      const names = { '#kind': 'kind', '#order': orderAttribute, ...attributes.names };
      const values = { ':kind': kind, ':order': order, ...attributes.values };
      const sets = ['#kind = :kind', '#order = :order', ...attributes.assignments];
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

    /** Every per-OA state item: templates (`TPL#…`), `QUOTA`, `TAGS` (a few per OA). */
    async oaState(oaId: string): Promise<Item[]> {
      return queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': oaStatePk(oaId) },
        ConsistentRead: true,
      }) as Promise<Item[]>;
    },

    journey: (journeyId: string) => getItem(journeyKey(journeyId)),
    consent: (oaId: string, phone: string) => getItem(consentKey(oaId, phone)),
  };
};
export type ZaloStateStore = ReturnType<typeof buildZaloStateStore>;
