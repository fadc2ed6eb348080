import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExpectedCounter } from '../reports/audit';

/** Sets a counter's metrics to recomputed values, keeping its shard watermarks (run while the stream is quiet). */
export const repairCounter = async (doc: DynamoDBDocumentClient, table: string, counter: ExpectedCounter, metricNames: string[]): Promise<void> => {
  const names: Record<string, string> = { '#dims': 'dims', '#scope': 'scope', '#day': 'day' };
  const values: Record<string, unknown> = { ':dims': counter.dims, ':scope': counter.scope, ':day': counter.day };
  const sets = ['#dims = :dims', '#scope = :scope', '#day = :day'];
  metricNames.forEach((metric, index) => {
    names[`#m${index}`] = metric;
    values[`:m${index}`] = counter.metrics[metric] ?? 0;
    sets.push(`#m${index} = :m${index}`);
  });
  await doc.send(new UpdateCommand({
    TableName: table, Key: { pk: counter.pk, sk: counter.sk },
    UpdateExpression: `SET ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  }));
};
