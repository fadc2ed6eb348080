/**
 * DynamoDB adapter for the report counters. A counter item carries, per stream shard, the sequence
 * number of the last record it has applied (`w#<shardId>`). A group is applied with one UpdateItem
 * whose condition says none of its records is applied yet; when a redelivered batch overlaps, the
 * condition fails, DynamoDB hands back the item, and only the records above its watermark are applied.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dayBucketPk, COUNTER_BUCKETS, watermarkAttribute } from '../aggregate/counter-key';
import { sumAfter, type CounterGroup } from '../aggregate/deltas';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

export interface ApplyResult {
  /** UpdateItem requests sent (including the ones refused by the watermark condition). */
  writes: number;
  applied: number;
  skipped: number;
  consumedWcu: number;
}

const MAX_ATTEMPTS = 5;

const oldWatermark = (error: unknown, attribute: string): string | undefined => {
  const raw = (error as { Item?: Record<string, never> }).Item;
  if (!raw) return undefined;
  const value = unmarshall(raw)[attribute];
  return typeof value === 'string' ? value : undefined;
};

export const buildCountersStore = (doc: DynamoDBDocumentClient, table: string) => ({
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
        ':max': maxSeq, ':dims': group.key.dims, ':scope': group.key.scope, ':day': group.key.day, ...deltas.values,
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
        }));
        result.consumedWcu += answer.ConsumedCapacity?.CapacityUnits ?? 0;
        result.applied = count;
        result.skipped = group.records.length - count;
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

  /** Every counter item of one report day (all buckets). */
  async readDay(day: string): Promise<Array<Record<string, unknown>>> {
    const buckets = Array.from({ length: COUNTER_BUCKETS }, (_, bucket) =>
      queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': dayBucketPk(day, bucket) } }));
    return (await Promise.all(buckets)).flat();
  },
});
export type CountersStore = ReturnType<typeof buildCountersStore>;
