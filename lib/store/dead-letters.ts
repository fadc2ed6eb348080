/**
 * Stream records the aggregator or the projector could not read (a poison image) are kept here, whole,
 * instead of blocking their shard or vanishing; the audit and an operator can look at them later. They
 * expire after DEAD_LETTER_DAYS (TTL), and erasure reaches them: the dead-letter eraser scrubs a number from
 * the letters of the tenant's records within that window.
 */
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { DeadLetterWriter } from '../aggregate/ports';
import type { Eraser } from '../esms/ports';
import { DEAD_LETTER_DAYS, deadLetterPk, deadLetterSk } from '../table/counters';
import { TTL_ATTRIBUTE } from '../table/names';
import { dayStartMs, vietnamDay } from '../time';
import { storageCall, storageFailure } from './errors';
import { queryAll } from './query-all';

export const buildDeadLetterStore = (doc: DynamoDBDocumentClient, table: string): DeadLetterWriter & { listDay(day: string): Promise<Array<Record<string, unknown>>> } => ({
  async add(letter) {
    try {
      await doc.send(new PutCommand({
        TableName: table,
        Item: {
          pk: deadLetterPk(vietnamDay(letter.at)), sk: deadLetterSk(letter.shardId, letter.sequenceNumber), ...letter, record: JSON.stringify(letter.record),
          [TTL_ATTRIBUTE]: Math.floor(letter.at / 1000) + DEAD_LETTER_DAYS * 86_400,
        },
      }));
    } catch (error) {
      throw storageFailure(error);
    }
  },
  /** Every dead letter of one Vietnam day (all pages). */
  listDay: (day) => queryAll(doc, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': deadLetterPk(day) } }),
});

const CursorSchema = v.object({ d: v.string(), k: v.optional(v.string()) });

/**
 * The dead letters of the last DEAD_LETTER_DAYS days (older ones are gone by TTL) whose record belongs to
 * the tenant (its keys start `T#<tenant>#`) and holds the number, in the record or the reason: both
 * rewritten without it. Dead letters are few (each one an alarm), but the cursor keeps the work bounded anyway.
 */
export const buildDeadLetterEraser = (doc: DynamoDBDocumentClient, table: string): Eraser => ({
  async erase(tenant, phone, budget, cursor) {
    const owned = `"T#${tenant}#`;
    const lastDay = vietnamDay(budget.started);
    const at = cursor === undefined ? { d: vietnamDay(budget.started - DEAD_LETTER_DAYS * 86_400_000) } : v.parse(CursorSchema, JSON.parse(cursor));
    let changed = 0;
    // At least one letter per call, so a slow read cannot make every call stop where the last one did.
    let looked = 0;
    for (let day = at.d, after = at.k; day <= lastDay; day = vietnamDay(dayStartMs(day) + 36 * 3_600_000), after = undefined) {
      const pk = deadLetterPk(day);
      let last = after;
      let from: Record<string, unknown> | undefined = after === undefined ? undefined : { pk, sk: after };
      const stop = () => looked > 0 && budget.now() >= budget.deadline;
      const stopped = () => ({ changed, complete: false, cursor: JSON.stringify({ d: day, ...(last !== undefined && { k: last }) }) });
      do {
        if (stop()) return stopped();
        const page = await storageCall(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: from, Limit: 200,
        })));
        for (const item of page.Items ?? []) {
          if (stop()) return stopped();
          looked += 1;
          const record = String(item.record);
          const reason = String(item.reason);
          if (record.includes(owned) && (phone.isIn(record) || phone.isIn(reason))) {
            await storageCall(() => doc.send(new UpdateCommand({
              TableName: table, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #record = :record, #reason = :reason',
              ExpressionAttributeNames: { '#record': 'record', '#reason': 'reason' },
              ExpressionAttributeValues: { ':record': phone.scrub(record), ':reason': phone.scrub(reason) },
            })));
            changed += 1;
          }
          last = String(item.sk);
        }
        from = page.LastEvaluatedKey;
      } while (from);
    }
    return { changed, complete: true };
  },
});
