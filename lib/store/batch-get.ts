/**
 * BatchGetItem over any number of keys of one table: 100 keys per request (DynamoDB's limit), the keys
 * DynamoDB leaves unprocessed asked again, up to 8 attempts per request, then a storage failure.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storageCall, storageFailure } from './errors';

type Key = Record<string, unknown>;
const KEYS_PER_REQUEST = 100;
const ATTEMPTS = 8;

/** The items found among `keys`, in no particular order; `projection` narrows what each item carries. */
export const batchGetAll = async (
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  projection?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
): Promise<Key[]> => {
  const found: Key[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) {
    let request: Key[] = keys.slice(i, i + KEYS_PER_REQUEST);
    for (let attempt = 0; request.length > 0; attempt += 1) {
      if (attempt === ATTEMPTS) throw storageFailure(new Error('BatchGetItem left keys unprocessed after retries'));
      const asked = request;
      const answer = await storageCall(() => doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: asked, ...projection } } })));
      found.push(...(answer.Responses?.[table] ?? []));
      request = answer.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
};
