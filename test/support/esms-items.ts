/**
 * Stored eSMS items for aggregator tests, made by the real adapters on DynamoDB Local (never rebuilt by
 * hand): each callback goes through `buildEsmsStore().storeCallback`; the callback items it wrote are then
 * handed to the real projector as the stream would hand them (so a batch's head exists), and the head is
 * read back raw.
 */
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { toChange } from '../../lib/aws/stream-records';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import type { EsmsRoute } from '../../lib/esms/channels';
import { buildProjector } from '../../lib/projector/projector';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { buildHeadProjection } from '../../lib/store/esms-heads';
import { headKey } from '../../lib/table/esms';
import { DEFAULT_TENANT, KIND } from '../../lib/table/names';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { documentClient, uniquePrefix } from './stack';
import { testDynamoEndpoint } from './dynamo-endpoint';

export interface HeadMaker {
  /** Stores the callbacks in order, projects the callback items they wrote, and answers the head's raw item after the last one. */
  head(callbacks: Array<{ query: string; at: number }>, options?: { route?: EsmsRoute; tenant?: string }): Promise<Record<string, unknown>>;
  doc: DynamoDBDocumentClient;
  table: string;
}

const noop = () => undefined;

/** A messages table of its own on the run's DynamoDB Local, and a maker of heads through the adapters. */
export const headMaker = async (): Promise<HeadMaker> => {
  const endpoint = testDynamoEndpoint();
  const names = tableNames(uniquePrefix());
  await ensureTables(localClient(endpoint), names);
  const doc = documentClient(endpoint);
  const store = buildEsmsStore(doc, names.Messages);
  const project = buildProjector({
    heads: buildHeadProjection(doc, names.Messages),
    phoneIndex: { index: async () => ({ missing: 0, written: 0, present: 0, erased: 0, refused: [] }) },
    deadLetters: { add: async (letter) => { throw new Error(`unexpected dead letter: ${letter.reason}`); } },
    telemetry: { count: noop }, log: { debug: noop, info: noop, warn: noop, error: noop }, now: Date.now, toChange,
  });
  const projected = new Set<string>();
  let seq = 1;
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
      const { Items = [] } = await doc.send(new ScanCommand({
        TableName: names.Messages, FilterExpression: 'kind = :cb AND smsId = :id AND tenant = :t',
        ExpressionAttributeValues: { ':cb': KIND.esmsCallback, ':id': smsId, ':t': tenant },
      }));
      const fresh = Items.filter((item) => !projected.has(`${String(item.pk)}\n${String(item.sk)}`));
      const records: DynamoDBRecord[] = fresh.map((item) => {
        projected.add(`${String(item.pk)}\n${String(item.sk)}`);
        return { eventName: 'INSERT', dynamodb: { SequenceNumber: String(seq++), NewImage: marshall(item) as never } };
      });
      if (records.length > 0) {
        const { batchItemFailures } = await project({ Records: records });
        if (batchItemFailures.length > 0) throw new Error(`projecting ${smsId} failed`);
      }
      const { Item } = await doc.send(new GetCommand({ TableName: names.Messages, Key: headKey(tenant, smsId), ConsistentRead: true }));
      if (!Item) throw new Error(`no head stored for ${smsId}`);
      return Item;
    },
  };
};
