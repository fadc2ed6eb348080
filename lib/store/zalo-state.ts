/**
 * DynamoDB adapter of the `ZaloStateStore` port (lib/zalo/ports.ts): the state derived from Zalo events
 * (followers, consents, templates, quotas, journeys), keyed as lib/table/zalo.ts says. Each change is one
 * UpdateItem that applies only when it is newer than the stored order; a refused change is not an error:
 * a newer event already won. Items are parsed back through lib/table's schemas.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { consentKey, ConsentItemSchema, journeyKey, JourneyItemSchema, oaStatePk, readOaState } from '../table/zalo';
import type { ZaloStateStore } from '../zalo/ports';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

type Item = Record<string, unknown>;

export const buildZaloStateStore = (doc: DynamoDBDocumentClient, table: string): ZaloStateStore => {
  const getItem = async (key: { pk: string; sk: string }): Promise<Item | undefined> => {
    try {
      return (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    } catch (error) {
      throw storageFailure(error);
    }
  };

  return {
    async apply({ key, kind, orderAttribute, order, set }) {
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

    async oaState(tenant, oaId) {
      return readOaState(await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': oaStatePk(tenant, oaId) },
        ConsistentRead: true,
      }));
    },

    async journey(tenant, journeyId) {
      const item = await getItem(journeyKey(tenant, journeyId));
      return item === undefined ? undefined : v.parse(JourneyItemSchema, item);
    },

    async consent(tenant, oaId, phone) {
      const item = await getItem(consentKey(tenant, oaId, phone));
      return item === undefined ? undefined : v.parse(ConsentItemSchema, item);
    },
  };
};
