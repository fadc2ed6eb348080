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

/** Bytes an item takes once serialised (what an answer listing it carries). */
const sizeOf = (item: Item): number => Buffer.byteLength(JSON.stringify(item), 'utf8');

/**
 * Exactly one page of a list: up to `limit` items from `start`, and the key to continue after the last
 * one only when more items exist (DynamoDB's own LastEvaluatedKey can point past the end, and a 1 MB
 * page can end before `limit`: both are followed here so the caller's cursor means "more exist").
 * `maxBytes` also ends the page once its items pass that size (at least one item is always answered):
 * a Lambda answer holds 6 MB, and a list of large raw bodies would not fit.
 */
export const queryPage = async (
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  start: Item | undefined,
  keyOf: (item: Item) => Item,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<{ items: Item[]; next: Item | undefined }> => {
  const items: Item[] = [];
  let bytes = 0;
  let from = start;
  try {
    do {
      const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: from, Limit: limit + 1 - items.length }));
      for (const item of page.Items ?? []) {
        items.push(item);
        if (maxBytes !== Number.POSITIVE_INFINITY) bytes += sizeOf(item);
      }
      from = page.LastEvaluatedKey;
    } while (from && items.length <= limit && bytes <= maxBytes);
    if (bytes > maxBytes) {
      let kept = 0;
      for (let total = 0; kept < Math.min(items.length, limit); kept += 1) {
        total += sizeOf(items[kept]!);
        if (total > maxBytes && kept > 0) break;
      }
      if (kept < items.length) return { items: items.slice(0, kept), next: keyOf(items[kept - 1]!) };
      // Everything read was kept: more exist only if DynamoDB has another item after it.
      const after = from && (await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: from, Limit: 1 }))).Items?.length;
      return { items, next: after ? keyOf(items.at(-1)!) : undefined };
    }
  } catch (error) {
    throw storageFailure(error);
  }
  if (items.length <= limit) return { items, next: undefined };
  const kept = items.slice(0, limit);
  return { items: kept, next: keyOf(kept.at(-1)!) };
};

export const tableKey = (item: Item): Item => ({ pk: item.pk, sk: item.sk });
