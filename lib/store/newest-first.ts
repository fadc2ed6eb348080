/**
 * A newest-first listing over a bucketed index (the day and RequestId indexes of lib/table/esms.ts): every
 * bucket is read from where the previous page ended and the buckets are merged by (`ds`, `pk`) descending.
 * The cursor is that one boundary, whatever the number of buckets, so it stays small; and it never names a
 * partition (the caller computes them from the tenant), so no cursor can move a read into another tenant's.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../table/cursor';
import { storageCall } from './errors';

export interface IndexEntry { pk: string; ds: number }

interface Boundary { ds: number; pk: string }

/** `(a)` comes before `(b)` in newest-first order. */
const before = (a: Boundary, b: Boundary): boolean => a.ds > b.ds || (a.ds === b.ds && a.pk > b.pk);

export interface BucketedIndex {
  name: string;
  hash: string;
  range: string;
  /** The partitions (hash values) to merge. */
  partitions: string[];
  /** What a listed entry's `pk` must look like (a cursor's too). */
  ownsKey: (pk: string) => boolean;
}

/**
 * Up to `window` entries after the cursor (and within `range`, epoch ms both ends), newest first, and whether
 * more exist after them. `take(entries)` answers how many of them the caller consumed (it may stop early);
 * the next cursor is the last consumed one.
 */
export const newestFirst = async (
  doc: DynamoDBDocumentClient,
  table: string,
  index: BucketedIndex,
  window: number,
  cursor: string | undefined,
  take: (entries: IndexEntry[]) => Promise<number>,
  range?: readonly [number, number],
): Promise<{ next: string | undefined }> => {
  const start = decodeCursor(cursor, (key) => typeof key.ds === 'number' && typeof key.pk === 'string' && index.ownsKey(key.pk));
  const boundary = start === undefined ? undefined : { ds: Number(start.ds), pk: String(start.pk) };
  const upper = Math.min(range?.[1] ?? Number.MAX_SAFE_INTEGER, boundary?.ds ?? Number.MAX_SAFE_INTEGER);
  const lower = range?.[0] ?? 0;

  const readBucket = async (partition: string) => {
    const entries: IndexEntry[] = [];
    let from: Record<string, unknown> | undefined;
    let more = false;
    do {
      const answer = await storageCall(() => doc.send(new QueryCommand({
        TableName: table, IndexName: index.name,
        KeyConditionExpression: '#h = :h AND #r BETWEEN :lo AND :hi',
        ExpressionAttributeNames: { '#h': index.hash, '#r': index.range },
        ExpressionAttributeValues: { ':h': partition, ':lo': lower, ':hi': upper },
        ScanIndexForward: false, Limit: window + 1, ExclusiveStartKey: from,
      })));
      for (const item of answer.Items ?? []) {
        const entry = { pk: String(item.pk), ds: Number(item[index.range]) };
        if (boundary !== undefined && !before(boundary, entry)) continue;
        if (entries.length === window) {
          more = true;
          break;
        }
        entries.push(entry);
      }
      from = answer.LastEvaluatedKey;
      if (from !== undefined && entries.length === window) more = true;
    } while (from !== undefined && !more);
    return { entries, more };
  };

  const buckets = await Promise.all(index.partitions.map(readBucket));
  const merged = buckets.flatMap((bucket) => bucket.entries).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const candidates = merged.slice(0, window);
  const consumed = await take(candidates);
  const remaining = merged.length > consumed || buckets.some((bucket) => bucket.more);
  const last = candidates[consumed - 1];
  return { next: remaining && last ? encodeCursor({ ds: last.ds, pk: last.pk }) : remaining && boundary ? cursor : undefined };
};
