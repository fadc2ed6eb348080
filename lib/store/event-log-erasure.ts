/**
 * Erasing a phone number from a tenant's event log (`T#<tenant>#EVT#<day>#<bucket>`, lib/table/destinations.ts): the
 * bodies of `esms.recipient.updated` events name the recipient, and a replay would send them again. Each day
 * of the log's retention is read in pages; a body holding the number in any spelling is rewritten without it
 * (a replay then sends the erased body under the same `webhook-id`). Resumable: the cursor is the day, the
 * partition (bucket) and the last sort key looked at, and a call looks at one item at least before it stops at the budget's deadline.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { Eraser } from '../esms/ports';
import { EVENT_RETENTION_DAYS, eventLogPartitions } from '../table/destinations';
import { dayStartMs, vietnamDay } from '../time';
import { storageCall } from './errors';

const CursorSchema = v.object({ d: v.string(), p: v.optional(v.number()), k: v.optional(v.string()) });
const PAGE = 200;

export const buildEventLogEraser = (doc: DynamoDBDocumentClient, table: string, days = EVENT_RETENTION_DAYS): Eraser => ({
  async erase(tenant, phone, budget, cursor) {
    const lastDay = vietnamDay(budget.started);
    const at = cursor === undefined ? { d: vietnamDay(budget.started - (days + 1) * 86_400_000) } : v.parse(CursorSchema, JSON.parse(cursor));
    let changed = 0;
    let looked = 0;
    for (let day = at.d, part = at.p ?? 0, after = at.k; day <= lastDay; day = vietnamDay(dayStartMs(day) + 36 * 3_600_000), part = 0, after = undefined) {
      // Every bucket of the day, then the day's key of before buckets (lib/table/destinations.ts).
      const partitions = eventLogPartitions(tenant, day);
      for (; part < partitions.length; part += 1, after = undefined) {
        const pk = partitions[part]!;
        let last = after;
        let from: Record<string, unknown> | undefined = after === undefined ? undefined : { pk, sk: after };
        const stopped = () => ({ changed, complete: false, cursor: JSON.stringify({ d: day, p: part, ...(last !== undefined && { k: last }) }) });
        do {
          if (looked > 0 && budget.now() >= budget.deadline) return stopped();
          const page = await storageCall(() => doc.send(new QueryCommand({
            TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: from, Limit: PAGE,
          })));
          for (const item of page.Items ?? []) {
            if (looked > 0 && budget.now() >= budget.deadline) return stopped();
            looked += 1;
            const body = String(item.body);
            if (phone.isIn(body)) {
              // Conditional: an item TTL removed meanwhile is not re-created as a bare body.
              const written = await storageCall(() => doc.send(new UpdateCommand({
                TableName: table, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #body = :body',
                ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#body': 'body' }, ExpressionAttributeValues: { ':body': phone.scrub(body) },
              })).then(() => true), () => false);
              if (written) changed += 1;
            }
            last = String(item.sk);
          }
          from = page.LastEvaluatedKey;
        } while (from);
      }
    }
    return { changed, complete: true };
  },
});
