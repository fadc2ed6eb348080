/**
 * DynamoDB adapter for the report counters. Each stream shard has a watermark item of its own (the sequence
 * number of the last record applied); a shard's records are applied in sequence order, in chunks of at most
 * 99 counter items, each chunk ONE transaction: the counters' ADDs and the watermark moved from the value
 * read to the chunk's last record. A redelivered record is at or below the watermark and skipped; a
 * transaction that finds the watermark moved (a concurrent retry) is re-planned from the new one. Counter
 * items therefore hold only their metrics and stay a few hundred bytes whatever the number of shards.
 */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApplyResult, CounterGroup, CounterWriter } from '../aggregate/ports';
import type { CounterReader } from '../reports/ports';
import { COUNTER_BUCKETS, WATERMARK_DAYS, dayBucketPk, shardWatermarkKey, type CounterKey, type Metrics } from '../table/counters';
import { TTL_ATTRIBUTE } from '../table/names';
import { storageCall, storageFailure } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

/** DynamoDB takes 100 actions per transaction: 99 counters and the watermark. */
const COUNTERS_PER_TRANSACTION = 99;
/** Re-plans after the watermark moved, and retries of a transaction that met another on a counter item. */
const ATTEMPTS = 6;

interface Step { seq: string; deltas: Array<{ group: CounterGroup; metrics: Metrics }> }

/** The shard's records above `after`, in sequence order, each with its deltas per counter. */
const stepsAfter = (groups: CounterGroup[], after: string | undefined): Step[] => {
  const bySeq = new Map<string, Step>();
  for (const group of groups) {
    for (const record of group.records) {
      if (after !== undefined && record.seq <= after) continue;
      const step = bySeq.get(record.seq) ?? { seq: record.seq, deltas: [] };
      step.deltas.push({ group, metrics: record.metrics });
      bySeq.set(record.seq, step);
    }
  }
  return [...bySeq.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
};

/** Consecutive steps whose counters fit one transaction. */
const chunksOf = (steps: Step[]): Step[][] => {
  const chunks: Step[][] = [];
  let current: Step[] = [];
  let counters = new Set<CounterGroup>();
  for (const step of steps) {
    const next = new Set([...counters, ...step.deltas.map((delta) => delta.group)]);
    if (next.size > COUNTERS_PER_TRANSACTION && current.length > 0) {
      chunks.push(current);
      current = [];
      counters = new Set(step.deltas.map((delta) => delta.group));
    } else counters = next;
    current.push(step);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** The summed deltas of a chunk per counter item, dropping counters the chunk leaves unchanged. */
const sums = (chunk: Step[]): Array<{ pk: string; sk: string; key: CounterKey; metrics: Metrics }> => {
  const byCounter = new Map<CounterGroup, Metrics>();
  for (const step of chunk) {
    for (const { group, metrics } of step.deltas) {
      const slot = byCounter.get(group) ?? {};
      for (const [name, value] of Object.entries(metrics)) slot[name] = (slot[name] ?? 0) + value;
      byCounter.set(group, slot);
    }
  }
  return [...byCounter]
    .map(([group, metrics]) => ({ pk: group.pk, sk: group.sk, key: group.key, metrics: Object.fromEntries(Object.entries(metrics).filter(([, value]) => value !== 0)) }))
    .filter((counter) => Object.keys(counter.metrics).length > 0);
};

const reasons = (error: unknown): string[] =>
  ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const buildCountersStore = (doc: DynamoDBDocumentClient, table: string, now: () => number = Date.now): CounterWriter & CounterReader => {
  const readWatermark = async (shardId: string): Promise<string | undefined> => {
    const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: shardWatermarkKey(shardId), ConsistentRead: true })));
    return typeof Item?.seq === 'string' ? Item.seq : undefined;
  };

  /** One chunk: its counters and the watermark moved from `from` to the chunk's last record, together or not at all. */
  const commit = async (shardId: string, chunk: Step[], from: string | undefined) => {
    const counters = sums(chunk).map(({ pk, sk, key, metrics }) => {
      const adds = placeholders(Object.entries(metrics), 'm');
      return {
        Update: {
          TableName: table, Key: { pk, sk },
          UpdateExpression: `SET #dims = :dims, #scope = :scope, #day = :day ADD ${adds.additions.join(', ')}`,
          ExpressionAttributeNames: { '#dims': 'dims', '#scope': 'scope', '#day': 'day', ...adds.names },
          ExpressionAttributeValues: { ':dims': key.dims, ':scope': key.scope, ':day': key.day, ...adds.values },
        },
      };
    });
    const answer = await doc.send(new TransactWriteCommand({
      TransactItems: [
        ...counters,
        {
          Update: {
            TableName: table, Key: shardWatermarkKey(shardId),
            UpdateExpression: 'SET #seq = :to, #ttl = :ttl',
            ConditionExpression: from === undefined ? 'attribute_not_exists(#seq)' : '#seq = :from',
            ExpressionAttributeNames: { '#seq': 'seq', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':to': chunk.at(-1)!.seq, ':ttl': Math.floor(now() / 1000) + WATERMARK_DAYS * 86_400, ...(from !== undefined && { ':from': from }),
            },
          },
        },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    return {
      counters: counters.length,
      wcu: (answer.ConsumedCapacity ?? []).reduce((sum, consumed) => sum + (consumed.CapacityUnits ?? 0), 0),
    };
  };

  return {
    async applyShard(shardId, groups) {
      const total = new Set(groups.flatMap((group) => group.records.map((record) => record.seq))).size;
      const result: ApplyResult = { transactions: 0, counterWrites: 0, applied: 0, skipped: 0, consumedWcu: 0 };
      let watermark: string | undefined;
      try {
        watermark = await readWatermark(shardId);
      } catch (error) {
        return { ...result, failedFrom: stepsAfter(groups, undefined)[0]?.seq, error };
      }
      let steps = stepsAfter(groups, watermark);
      result.skipped = total - steps.length;
      let attempts = 0;
      while (steps.length > 0) {
        const [chunk] = chunksOf(steps);
        try {
          result.transactions += 1;
          const written = await commit(shardId, chunk!, watermark);
          result.counterWrites += written.counters;
          result.consumedWcu += written.wcu;
          result.applied += chunk!.length;
          watermark = chunk!.at(-1)!.seq;
          steps = steps.slice(chunk!.length);
          attempts = 0;
        } catch (error) {
          attempts += 1;
          const codes = error instanceof Error && error.name === 'TransactionCanceledException' ? reasons(error) : [];
          if (attempts < ATTEMPTS && codes.at(-1) === 'ConditionalCheckFailed') {
            // Someone applied part of this shard meanwhile (a retried invocation): re-plan from its watermark.
            try {
              watermark = await readWatermark(shardId);
            } catch (readError) {
              return { ...result, failedFrom: steps[0]!.seq, error: readError };
            }
            const remaining = stepsAfter(groups, watermark);
            result.skipped += steps.length - remaining.length;
            steps = remaining;
            continue;
          }
          if (attempts < ATTEMPTS && codes.includes('TransactionConflict')) {
            // Another shard's transaction holds one of these counters for a moment.
            await sleep(20 * 2 ** attempts * Math.random());
            continue;
          }
          return { ...result, failedFrom: steps[0]!.seq, error: storageFailure(error) };
        }
      }
      return result;
    },

    async readDay(tenant: string, day: string): Promise<Array<Record<string, unknown>>> {
      const buckets = Array.from({ length: COUNTER_BUCKETS }, (_, bucket) =>
        queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': dayBucketPk(tenant, day, bucket) } }));
      return (await Promise.all(buckets)).flat();
    },
  };
};
