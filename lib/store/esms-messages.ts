/**
 * DynamoDB adapter for eSMS messages. One conditional UpdateItem per callback: it adds the callback's
 * entry attribute unless that exact callback is already there (a retry), and refreshes the message's
 * descriptive attributes. Only this file knows the condition failure and turns it into `duplicate`.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EsmsCallback } from '../esms/parse';
import { entryName, esmsKey, readEsmsItem, type CallbackEntry, type StoredEsmsMessage } from '../esms/stored';
import { KIND } from '../table/names';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';

export interface StoreCallbackInput {
  event: EsmsCallback;
  canonical: string;
  raw: string;
  route: string;
  receivedAt: number;
}

export interface StoreResult {
  duplicate: boolean;
  /** Write capacity units the request consumed (returned by DynamoDB). */
  consumedWcu: number | undefined;
}

const zaloMsgId = (event: EsmsCallback): string | undefined => event.partnerIds ?? event.errorInfo?.zaloMsgId;

export const buildEsmsStore = (doc: DynamoDBDocumentClient, table: string) => ({
  async storeCallback({ event, canonical, raw, route, receivedAt }: StoreCallbackInput): Promise<StoreResult> {
    const entry: CallbackEntry = {
      s: event.sendStatus,
      t: event.typeId,
      n: [event.totalReceiver, event.totalSent, event.sendSuccess, event.sendFailed],
      p: event.priceE4,
      at: receivedAt,
      q: raw,
      rt: route,
    };
    const descriptive: Record<string, string | number | undefined> = {
      kind: KIND.esms,
      smsId: event.smsId,
      phone: event.phone,
      typeId: event.typeId,
      telcoId: event.telcoId,
      oaId: event.oaId,
      templateId: event.templateId,
      requestId: event.requestId,
      zmsg: zaloMsgId(event),
    };
    const present = placeholders(Object.entries(descriptive).filter(([, value]) => value !== undefined), 'a');
    const names = { '#entry': entryName(event.sendStatus, canonical), '#route': 'route', ...present.names };
    const values = { ':entry': entry, ':now': receivedAt, ':one': 1, ':route': route, ...present.values };
    const sets = ['#entry = :entry', 'firstSeen = if_not_exists(firstSeen, :now)', 'lastSeen = :now', '#route = if_not_exists(#route, :route)', ...present.assignments];
    try {
      const result = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: esmsKey(event.smsId, event.phone),
          UpdateExpression: `SET ${sets.join(', ')} ADD ver :one`,
          ConditionExpression: 'attribute_not_exists(#entry)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return { duplicate: false, consumedWcu: result.ConsumedCapacity?.CapacityUnits };
    } catch (error) {
      if (isConditionFailure(error)) return { duplicate: true, consumedWcu: undefined };
      throw storageFailure(error);
    }
  },

  /** Every recipient item of an SMSID, parsed back through the stored schema. */
  async getMessage(smsId: string): Promise<StoredEsmsMessage[]> {
    try {
      const result = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': esmsKey(smsId, undefined).pk },
          ConsistentRead: true,
        }),
      );
      return (result.Items ?? []).map((item) => readEsmsItem(item));
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
export type EsmsStore = ReturnType<typeof buildEsmsStore>;
