/**
 * DynamoDB adapter for the report counters. A counter item carries, per stream shard, the sequence
 * number of the last record it has applied (`w#<shardId>`). A group is applied with one UpdateItem
 * whose condition says none of its records is applied yet; when a redelivered batch overlaps, the
 * condition fails, DynamoDB hands back the item, and only the records above its watermark are applied.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { sumAfter, type CounterGroup } from '../aggregate/deltas';
import type { ApplyResult, CounterWriter } from '../aggregate/ports';
import type { CounterReader } from '../reports/ports';
import { COUNTER_BUCKETS, dayBucketPk, watermarkAttribute } from '../table/counters';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

const MAX_ATTEMPTS = 5;

const oldWatermark = (error: unknown, attribute: string): string | undefined => {
  const raw = (error as { Item?: Record<string, never> }).Item;
  if (!raw) return undefined;
  const value = unmarshall(raw)[attribute];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A watermark is `<padded sequence number>|<epoch seconds written>`: it still compares by sequence number
 * (the digits come first and have one length), and its age tells when its shard can no longer deliver.
 */
const stamped = (seq: string | undefined, nowMs: number): string => `${seq}|${Math.floor(nowMs / 1000)}`;

/** A stream keeps records 24 hours: a shard whose watermark is older than that can never redeliver one. */
export const WATERMARK_RETENTION_MS = 25 * 3600_000;

const staleWatermarks = (item: Record<string, unknown> | undefined, nowMs: number): Array<[string, string]> =>
  Object.entries(item ?? {}).flatMap(([name, value]) => {
    if (!name.startsWith('w#') || typeof value !== 'string') return [];
    const written = Number(value.split('|')[1]);
    return Number.isFinite(written) && nowMs - written * 1000 > WATERMARK_RETENTION_MS ? [[name, value] as [string, string]] : [];
  });

const dropWatermarksWith = (doc: DynamoDBDocumentClient, table: string) => async (group: CounterGroup, stale: Array<[string, string]>): Promise<number> => {
  const refs = placeholders(stale, 'x');
  try {
    const answer = await doc.send(new UpdateCommand({
      TableName: table, Key: { pk: group.pk, sk: group.sk },
      UpdateExpression: `REMOVE ${Object.keys(refs.names).join(', ')}`,
      // Only if untouched since read: a shard that somehow wrote again keeps its watermark.
      ConditionExpression: refs.assignments.join(' AND '),
      ExpressionAttributeNames: refs.names, ExpressionAttributeValues: refs.values, ReturnConsumedCapacity: 'TOTAL',
    }));
    return answer.ConsumedCapacity?.CapacityUnits ?? 0;
  } catch (error) {
    if (isConditionFailure(error)) return 1;
    throw storageFailure(error);
  }
};

export const buildCountersStore = (doc: DynamoDBDocumentClient, table: string, now: () => number = Date.now): CounterWriter & CounterReader => {
  const dropWatermarks = dropWatermarksWith(doc, table);
  return {
    async applyGroup(shardId: string, group: CounterGroup): Promise<ApplyResult> {
      const result: ApplyResult = { writes: 0, applied: 0, skipped: 0, consumedWcu: 0 };
      const wm = watermarkAttribute(shardId);
      let after: string | undefined;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const { metrics, count, minSeq, maxSeq } = sumAfter(group, after);
        if (count === 0) {
          result.skipped = group.records.length;
          return result;
        }
        const deltas = placeholders(Object.entries(metrics), 'm');
        const adds = deltas.additions;
        const names = { '#w': wm, '#dims': 'dims', '#scope': 'scope', '#day': 'day', ...deltas.names };
        const values = {
          ':max': stamped(maxSeq, now()), ':dims': group.key.dims, ':scope': group.key.scope, ':day': group.key.day, ...deltas.values,
          ...(after === undefined ? { ':min': minSeq } : { ':after': after }),
        };
        try {
          result.writes += 1;
          const answer = await doc.send(new UpdateCommand({
            TableName: table,
            Key: { pk: group.pk, sk: group.sk },
            UpdateExpression: `SET #w = :max, #dims = :dims, #scope = :scope, #day = :day${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
            ConditionExpression: after === undefined ? 'attribute_not_exists(#w) OR #w < :min' : '#w = :after',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            ReturnConsumedCapacity: 'TOTAL',
            ReturnValues: 'ALL_NEW',
          }));
          result.consumedWcu += answer.ConsumedCapacity?.CapacityUnits ?? 0;
          result.applied = count;
          result.skipped = group.records.length - count;
          // Shards roll about every 4 hours: drop the watermarks of shards that can no longer deliver, so a
          // counter item keeps a handful of them and stays one write unit forever. Rare (once per old shard).
          const stale = staleWatermarks(answer.Attributes, now());
          if (stale.length > 0) {
            result.writes += 1;
            result.consumedWcu += await dropWatermarks(group, stale);
          }
          return result;
        } catch (error) {
          if (!isConditionFailure(error)) throw storageFailure(error);
          result.consumedWcu += 1; // a refused conditional write still costs a unit
          const seen = oldWatermark(error, wm);
          if (seen === undefined) throw storageFailure(new Error(`counter ${group.pk}/${group.sk}: condition failed without a watermark`));
          after = seen;
        }
      }
      throw storageFailure(new Error(`counter ${group.pk}/${group.sk}: watermark kept moving after ${MAX_ATTEMPTS} attempts`));
    },

    async readDay(tenant: string, day: string): Promise<Array<Record<string, unknown>>> {
      const buckets = Array.from({ length: COUNTER_BUCKETS }, (_, bucket) =>
        queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': dayBucketPk(tenant, day, bucket) } }));
      return (await Promise.all(buckets)).flat();
    },
  };
};
