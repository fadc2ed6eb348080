/** Pages through a whole table (audits and rebuilds only; never on a request path). */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export async function* scanTable(doc: DynamoDBDocumentClient, table: string, onPage?: (scanned: number) => void): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  let scanned = 0;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    scanned += page.ScannedCount ?? 0;
    onPage?.(scanned);
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
