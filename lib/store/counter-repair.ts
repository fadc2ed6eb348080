import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExpectedCounter } from '../reports/audit';
import { placeholders } from './expression';

/** Sets a counter's metrics to recomputed values, keeping its shard watermarks (run while the stream is quiet). */
export const repairCounter = async (doc: DynamoDBDocumentClient, table: string, counter: ExpectedCounter, metricNames: string[]): Promise<void> => {
  const metrics = placeholders(metricNames.map((metric) => [metric, counter.metrics[metric] ?? 0] as const), 'm');
  const names = { '#dims': 'dims', '#scope': 'scope', '#day': 'day', ...metrics.names };
  const values = { ':dims': counter.dims, ':scope': counter.scope, ':day': counter.day, ...metrics.values };
  const sets = ['#dims = :dims', '#scope = :scope', '#day = :day', ...metrics.assignments];
  await doc.send(new UpdateCommand({
    TableName: table, Key: { pk: counter.pk, sk: counter.sk },
    UpdateExpression: `SET ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  }));
};
