import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { storageFailure } from './errors';

type Item = Record<string, unknown>;

/** Every item a Query matches, following LastEvaluatedKey; storage errors become StorageUnavailableError. */
export const queryAll = async (doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  try {
    do {
      const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  } catch (error) {
    throw storageFailure(error);
  }
  return items;
};

/**
 * Exactly one page of a list: up to `limit` items from `start`, and the key to continue after the last
 * one only when more items exist (DynamoDB's own LastEvaluatedKey can point past the end, and a 1 MB
 * page can end before `limit`: both are followed here so the caller's cursor means "more exist").
 */
export const queryPage = async (
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  start: Item | undefined,
  keyOf: (item: Item) => Item,
): Promise<{ items: Item[]; next: Item | undefined }> => {
  const items: Item[] = [];
  let from = start;
  try {
    do {
      const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: from, Limit: limit + 1 - items.length }));
      items.push(...(page.Items ?? []));
      from = page.LastEvaluatedKey;
    } while (from && items.length <= limit);
  } catch (error) {
    throw storageFailure(error);
  }
  if (items.length <= limit) return { items, next: undefined };
  const kept = items.slice(0, limit);
  return { items: kept, next: keyOf(kept.at(-1)!) };
};

export const tableKey = (item: Item): Item => ({ pk: item.pk, sk: item.sk });
