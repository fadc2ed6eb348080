/**
 * Stored eSMS items for aggregator tests, made by the real adapter on DynamoDB Local (never rebuilt by
 * hand): each callback goes through `buildEsmsStore().storeCallback`, and the head is read back raw.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import type { EsmsRoute } from '../../lib/esms/channels';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { headKey } from '../../lib/table/esms';
import { DEFAULT_TENANT } from '../../lib/table/names';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { documentClient, uniquePrefix } from './stack';
import { testDynamoEndpoint } from './dynamo-endpoint';

export interface HeadMaker {
  /** Stores the callbacks in order and answers the head's raw item after the last one. */
  head(callbacks: Array<{ query: string; at: number }>, options?: { route?: EsmsRoute; tenant?: string }): Promise<Record<string, unknown>>;
  doc: DynamoDBDocumentClient;
  table: string;
}

/** A messages table of its own on the run's DynamoDB Local, and a maker of heads through the adapter. */
export const headMaker = async (): Promise<HeadMaker> => {
  const endpoint = testDynamoEndpoint();
  const names = tableNames(uniquePrefix());
  await ensureTables(localClient(endpoint), names);
  const doc = documentClient(endpoint);
  const store = buildEsmsStore(doc, names.Messages);
  return {
    doc,
    table: names.Messages,
    async head(callbacks, { route = 'sms', tenant = DEFAULT_TENANT } = {}) {
      let smsId = '';
      for (const { query, at } of callbacks) {
        const { event, canonical } = parseCallbackWithIdentity(query);
        smsId = event.smsId;
        await store.storeCallback({ tenant, event, canonical, raw: query, route, receivedAt: at });
      }
      const { Item } = await doc.send(new GetCommand({ TableName: names.Messages, Key: headKey(tenant, smsId), ConsistentRead: true }));
      if (!Item) throw new Error(`no head stored for ${smsId}`);
      return Item;
    },
  };
};
