/**
 * The audit's repair of one counter, safe while the stream keeps applying records: one UpdateItem that
 * ADDs `expected − live` to each differing metric, on the condition that each of them still holds the
 * value the audit read (absent when it read none). A counter the stream moved since it was read is left
 * alone and reported, never overwritten; and ADD commutes with the stream's own ADDs, so nothing is lost.
 * Only the differing metrics are named: shard watermarks (`w#…`) and the other metrics are never touched;
 * dims/scope/day are set only where missing (a counter the audit creates).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterDiff, CounterRepairer, RepairOutcome } from '../reports/ports';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';

const WATERMARK_PREFIX = 'w#';

/** The UpdateItem input of one repair (exported for inspection; `repair` sends it). */
export const repairUpdate = (table: string, diff: CounterDiff) => {
  const entries = Object.entries(diff.metrics);
  if (entries.length === 0) throw new Error(`counter ${diff.pk}/${diff.sk}: nothing to repair`);
  for (const [metric] of entries) {
    if (metric.startsWith(WATERMARK_PREFIX)) throw new Error(`counter ${diff.pk}/${diff.sk}: refusing to repair watermark attribute ${metric}`);
  }
  const deltas = placeholders(entries.map(([metric, { expected, live }]) => [metric, expected - (live ?? 0)] as const), 'm');
  const seen = entries.map(([, { live }], index) => [index, live] as const).filter(([, live]) => live !== undefined);
  const condition = entries.map(([, { live }], index) => (live === undefined ? `attribute_not_exists(#m${index})` : `#m${index} = :l${index}`));
  return {
    TableName: table,
    Key: { pk: diff.pk, sk: diff.sk },
    UpdateExpression: 'SET #dims = if_not_exists(#dims, :dims), #scope = if_not_exists(#scope, :scope), #day = if_not_exists(#day, :day) '
      + `ADD ${deltas.additions.join(', ')}`,
    ConditionExpression: condition.join(' AND '),
    ExpressionAttributeNames: { '#dims': 'dims', '#scope': 'scope', '#day': 'day', ...deltas.names },
    ExpressionAttributeValues: {
      ':dims': diff.dims, ':scope': diff.scope, ':day': diff.day, ...deltas.values,
      ...Object.fromEntries(seen.map(([index, live]) => [`:l${index}`, live])),
    },
  };
};

export const buildCounterRepairer = (doc: DynamoDBDocumentClient, table: string): CounterRepairer => ({
  async repair(diff: CounterDiff): Promise<RepairOutcome> {
    const input = repairUpdate(table, diff);
    try {
      await doc.send(new UpdateCommand(input));
      return 'repaired';
    } catch (error) {
      if (isConditionFailure(error)) return 'changed';
      throw storageFailure(error);
    }
  },
});
