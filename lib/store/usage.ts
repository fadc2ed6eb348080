/**
 * The tenant's usage counters (lib/aggregate/usage-contributions.ts) in the counters table: one item per
 * tenant and Vietnam day (`T#<tenant>#CNT#<day>#<bucket>`, sk `usage#`). The aggregator adds what the stream
 * shows; `duplicate` adds the one thing it cannot (a duplicate callback writes nothing), into one of
 * DUPLICATE_SPREAD items of their own (sk `usage#dup=<n>`, spread over the day's partition keys): a burst of
 * eSMS retries then never funnels into one item, and never conflicts with the aggregator's transaction on the
 * day's usage item. A month is 31 × 9 keys, read in BatchGetItems of 100.
 */
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DuplicateCounter, Usage, UsageReader } from '../usage/ports';
import { USAGE_COUNTER_METRICS, counterKeys, type CounterKey } from '../table/counters';
import { vietnamDay } from '../time';
import { storageCall } from './errors';

const usageKey = (tenant: string, day: string): CounterKey => ({ tenant, scope: 'usage', day, dims: {} });
export const DUPLICATE_SPREAD = 8;
const duplicateKey = (tenant: string, day: string, n: number): CounterKey => ({ tenant, scope: 'usage', day, dims: { dup: String(n) } });
const BATCH_GET_KEYS = 100;
const zeros = (): Usage => Object.fromEntries(USAGE_COUNTER_METRICS.map((metric) => [metric, 0])) as Usage;

export const buildDuplicateCounter = (doc: DynamoDBDocumentClient, table: string): DuplicateCounter => ({
  async duplicate(tenant, at) {
    const key = duplicateKey(tenant, vietnamDay(at), Math.floor(Math.random() * DUPLICATE_SPREAD));
    await storageCall(() => doc.send(new UpdateCommand({
      TableName: table, Key: counterKeys(key),
      UpdateExpression: 'SET #dims = if_not_exists(#dims, :dims), #scope = :scope, #day = :day ADD duplicates :one',
      ExpressionAttributeNames: { '#dims': 'dims', '#scope': 'scope', '#day': 'day' },
      ExpressionAttributeValues: { ':dims': key.dims, ':scope': 'usage', ':day': key.day, ':one': 1 },
    })));
  },
});

export const buildUsageReader = (doc: DynamoDBDocumentClient, table: string): UsageReader => ({
  async sum(tenant, days) {
    const total = zeros();
    const all = days.flatMap((day) => [usageKey(tenant, day), ...Array.from({ length: DUPLICATE_SPREAD }, (_, n) => duplicateKey(tenant, day, n))].map(counterKeys));
    for (let start = 0; start < all.length; start += BATCH_GET_KEYS) {
      let keys: Array<Record<string, unknown>> | undefined = all.slice(start, start + BATCH_GET_KEYS);
      for (let round = 0; keys && keys.length > 0 && round < 8; round += 1) {
        const answer = await storageCall(() => doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys! } } })));
        for (const item of answer.Responses?.[table] ?? []) {
          for (const metric of USAGE_COUNTER_METRICS) total[metric] += typeof item[metric] === 'number' ? item[metric] : Number(item[metric] ?? 0) || 0;
        }
        keys = answer.UnprocessedKeys?.[table]?.Keys;
        if (keys?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      }
      if (keys?.length) throw new Error(`usage: ${keys.length} day counters left unread`);
    }
    return total;
  },
});
