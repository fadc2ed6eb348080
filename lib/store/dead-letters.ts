/**
 * Stream records the aggregator could not read (a poison image) are kept here, whole, instead of
 * blocking their shard or vanishing; the audit and an operator can look at them later.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeadLetterWriter } from '../aggregate/ports';
import { deadLetterPk, deadLetterSk } from '../table/counters';
import { vietnamDay } from '../time';
import { storageFailure } from './errors';
import { queryAll } from './query-all';

export const buildDeadLetterStore = (doc: DynamoDBDocumentClient, table: string): DeadLetterWriter & { listDay(day: string): Promise<Array<Record<string, unknown>>> } => ({
  async add(letter) {
    try {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { pk: deadLetterPk(vietnamDay(letter.at)), sk: deadLetterSk(letter.shardId, letter.sequenceNumber), ...letter, record: JSON.stringify(letter.record) },
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },
  /** Every dead letter of one Vietnam day (all pages). */
  listDay: (day) => queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': deadLetterPk(day) } }),
});
