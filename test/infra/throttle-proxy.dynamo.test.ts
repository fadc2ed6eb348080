/**
 * The per-key limits of `DYNAMODB_THROTTLE_SCALE` (infra/local/throttle-proxy.ts) in front of DynamoDB Local,
 * through the AWS SDK as the functions use it: one key past its share answers what DynamoDB answers
 * (ProvisionedThroughputExceededException, UnprocessedItems, a transaction cancelled for ThrottlingError),
 * other keys are unaffected, and a key's second refills it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { dropTables, ensureTables, tableNames } from '../../infra/local/tables';
import { startThrottleProxy, type ThrottleProxy } from '../../infra/local/throttle-proxy';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const endpoint = testDynamoEndpoint();
const names = tableNames(`thr${randomUUID().slice(0, 8)}`);
let proxy: ThrottleProxy;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  // Scale 100: 10 write units a second per key value.
  proxy = await startThrottleProxy({ target: endpoint, scale: 100 });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: proxy.url, region: 'local', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});
afterAll(async () => {
  doc.destroy();
  await proxy.close();
  const admin = localClient(endpoint);
  await dropTables(admin, names);
  admin.destroy();
});

const put = (pk: string, sk: string) => doc.send(new PutCommand({ TableName: names.Messages, Item: { pk, sk } })).then(() => 'ok', (error: Error) => error.name);

describe('DynamoDB\'s per-key limits, divided by the scale', () => {
  it('one key takes its second\'s units, then answers ProvisionedThroughputExceededException; 30 other keys take one write each', async () => {
    const hot = `T#thr#M#${randomUUID()}`;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => put(hot, `C#${i}`)));
    // The bucket refills continuously (10 units a second): a burst that took t ms earned t/100 more writes.
    const refilled = Math.floor((Date.now() - started) / 100);
    const ok = answers.filter((answer) => answer === 'ok').length;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(10 + refilled);
    expect(ok).toBeLessThan(30);
    expect(new Set(answers.filter((answer) => answer !== 'ok'))).toEqual(new Set(['ProvisionedThroughputExceededException']));
    const spread = await Promise.all(Array.from({ length: 30 }, (_, i) => put(`T#thr#M#${randomUUID()}-${i}`, '#')));
    expect(spread.every((answer) => answer === 'ok')).toBe(true);
    // A second later the key has its units again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await put(hot, 'C#later')).toBe('ok');
  });

  it('a batch leaves the items of a key over its limit in UnprocessedItems; a transaction over it is cancelled for ThrottlingError', async () => {
    const hot = `T#thr#M#${randomUUID()}`;
    const answer = await doc.send(new BatchWriteCommand({
      RequestItems: { [names.Messages]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: hot, sk: `C#${i}` } } })) },
    }));
    expect(answer.UnprocessedItems?.[names.Messages]?.length ?? 0).toBeGreaterThan(0);
    // The batch spent the key's second: a transaction on it (2 units per item) is refused.
    const error = await doc.send(new TransactWriteCommand({
      TransactItems: Array.from({ length: 2 }, (_, i) => ({ Put: { TableName: names.Messages, Item: { pk: hot, sk: `T#${i}` } } })),
    })).then(() => undefined, (failure: Error & { CancellationReasons?: Array<{ Code?: string }> }) => failure);
    expect(error?.name).toBe('TransactionCanceledException');
    expect(error?.CancellationReasons?.some((reason) => reason.Code === 'ThrottlingError')).toBe(true);
  });
});
