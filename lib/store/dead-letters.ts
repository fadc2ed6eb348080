/**
 * Stream records the aggregator could not read (a poison image) are kept here, whole, instead of
 * blocking their shard or vanishing; `npm run replay` / the audit can look at them later.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storageFailure } from './errors';

export interface DeadLetter {
  shardId: string;
  sequenceNumber: string;
  reason: string;
  record: unknown;
  at: number;
}

const pkOf = (at: number) => `DLQ#${new Date(at).toISOString().slice(0, 10)}`;

export const buildDeadLetterStore = (doc: DynamoDBDocumentClient, table: string) => ({
  async add(letter: DeadLetter): Promise<void> {
    try {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { pk: pkOf(letter.at), sk: `${letter.shardId}#${letter.sequenceNumber}`, ...letter, record: JSON.stringify(letter.record) },
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },
  async listDay(day: string): Promise<Array<Record<string, unknown>>> {
    try {
      const page = await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `DLQ#${day}` } }));
      return page.Items ?? [];
    } catch (error) {
      throw storageFailure(error);
    }
  },
});
export type DeadLetterStore = ReturnType<typeof buildDeadLetterStore>;
