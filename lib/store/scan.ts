/**
 * Pages through a whole table (audits and rebuilds only; never on a request path). Pages are handed on as
 * they arrive, so a caller that folds each page away holds one page per segment, never the table.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { storageFailure } from './errors';

type Item = Record<string, unknown>;

export interface ScanPage {
  items: Item[];
  /** Items DynamoDB read for this page (ScannedCount). */
  scanned: number;
}

export interface ScanOptions {
  /** Parallel scan over that many segments (DynamoDB's Segment/TotalSegments), one request in flight each; default 1. */
  segments?: number;
}

/**
 * Every page of a full scan, in arrival order. With several segments the next page of a segment is
 * requested as soon as its previous one arrives, so at most `segments` pages are held at once.
 */
export async function* scanPages(doc: DynamoDBDocumentClient, table: string, options: ScanOptions = {}): AsyncGenerator<ScanPage> {
  const total = Math.max(1, Math.floor(options.segments ?? 1));
  const read = (segment: number, start: Item | undefined): Promise<{ segment: number; page: ScanCommandOutput }> =>
    doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ...(total > 1 ? { Segment: segment, TotalSegments: total } : {}) }))
      .then((page) => ({ segment, page }), (error: unknown) => { throw storageFailure(error); });
  const pending = new Map(Array.from({ length: total }, (_, segment) => [segment, read(segment, undefined)] as const));
  try {
    while (pending.size > 0) {
      const { segment, page } = await Promise.race(pending.values());
      pending.delete(segment);
      if (page.LastEvaluatedKey) pending.set(segment, read(segment, page.LastEvaluatedKey));
      yield { items: page.Items ?? [], scanned: page.ScannedCount ?? 0 };
    }
  } finally {
    // Abandoned early (an error, a consumer that stopped): the requests still in flight must not reject unheard.
    for (const request of pending.values()) void request.catch(() => undefined);
  }
}

/** Every item of a table, page by page (see scanPages). */
export async function* scanTable(doc: DynamoDBDocumentClient, table: string, options: ScanOptions = {}): AsyncGenerator<Item> {
  for await (const page of scanPages(doc, table, options)) yield* page.items;
}

/**
 * DynamoDB's ItemCount for the table: approximate (DynamoDB refreshes it about every six hours), so only
 * good for a progress estimate; undefined when the table does not say.
 */
export const approximateItemCount = async (doc: DynamoDBDocumentClient, table: string): Promise<number | undefined> => {
  try {
    const answer = await doc.send(new DescribeTableCommand({ TableName: table }));
    return answer.Table?.ItemCount;
  } catch (error) {
    throw storageFailure(error);
  }
};
