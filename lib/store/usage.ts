/**
 * The tenant's usage counters (lib/aggregate/usage-contributions.ts) in the counters table: one item per
 * tenant and Vietnam day (`T#<tenant>#CNT#<day>#<bucket>`, sk `usage#`). The aggregator adds what the stream
 * shows; `duplicate` adds the one thing it cannot (a duplicate callback writes nothing). A month is one
 * BatchGetItem of at most 31 keys.
 */
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DuplicateCounter, Usage, UsageReader } from '../usage/ports';
import { USAGE_COUNTER_METRICS, counterKeys, type CounterKey } from '../table/counters';
import { vietnamDay } from '../time';
import { storageCall } from './errors';

const usageKey = (tenant: string, day: string): CounterKey => ({ tenant, scope: 'usage', day, dims: {} });
const zeros = (): Usage => Object.fromEntries(USAGE_COUNTER_METRICS.map((metric) => [metric, 0])) as Usage;

export const buildDuplicateCounter = (doc: DynamoDBDocumentClient, table: string): DuplicateCounter => ({
  async duplicate(tenant, at) {
    const key = usageKey(tenant, vietnamDay(at));
    await storageCall(() => doc.send(new UpdateCommand({
      TableName: table, Key: counterKeys(key),
      UpdateExpression: 'SET #dims = if_not_exists(#dims, :dims), #scope = :scope, #day = :day ADD duplicates :one',
      ExpressionAttributeNames: { '#dims': 'dims', '#scope': 'scope', '#day': 'day' },
      ExpressionAttributeValues: { ':dims': {}, ':scope': 'usage', ':day': key.day, ':one': 1 },
    })));
  },
});

export const buildUsageReader = (doc: DynamoDBDocumentClient, table: string): UsageReader => ({
  async sum(tenant, days) {
    const total = zeros();
    let keys: Array<Record<string, unknown>> | undefined = days.map((day) => counterKeys(usageKey(tenant, day)));
    for (let round = 0; keys && keys.length > 0 && round < 8; round += 1) {
      const answer = await storageCall(() => doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys! } } })));
      for (const item of answer.Responses?.[table] ?? []) {
        for (const metric of USAGE_COUNTER_METRICS) total[metric] += typeof item[metric] === 'number' ? item[metric] : Number(item[metric] ?? 0) || 0;
      }
      keys = answer.UnprocessedKeys?.[table]?.Keys;
      if (keys?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
    }
    if (keys?.length) throw new Error(`usage: ${keys.length} day counters left unread`);
    return total;
  },
});
