/**
 * The suppressions (layout: lib/table/suppressions.ts) over the messages table: the projector's writer and
 * the read routes' store. Every change is one conditional UpdateItem, applied only over an older order.
 */
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import type { Eraser } from '../esms/ports';
import type { SuppressionChange, SuppressionStore, SuppressionWriter } from '../suppressions/ports';
import { decodeCursor, encodeCursor } from '../table/cursor';
import { ErasureMarkSchema, erasureMarkKey } from '../table/esms';
import { TTL_ATTRIBUTE } from '../table/names';
import {
  SUPPRESSION_BUCKETS, SUPPRESSION_KIND, SuppressionItemSchema, TOMBSTONE_DAYS, suppressionKey, suppressionOrder, suppressionPk, type SuppressionItem,
} from '../table/suppressions';
import { storageCall } from './errors';

const OPTIONAL = ['reason', 'reasonVi', 'code', 'smsId', 'msgId', 'oaId', 'event'] as const;
/** Query calls one page may make: a bucket full of tombstones cannot make a page read without end. */
const MAX_QUERIES_PER_PAGE = 12;
/** Rank of a hand-made clear: beats a stream change of the same millisecond. */
const MANUAL_RANK = 2;

const tombstoneExpiry = (now: number): number => Math.floor(now / 1000) + TOMBSTONE_DAYS * 86_400;

/** The UpdateItem of a change: the fields it has set, the ones it lacks removed, the order condition. */
const updateOf = (
  table: string, change: Omit<SuppressionChange, 'sequenceNumber'>, now: number,
  condition = 'attribute_not_exists(pk) OR #ord < :ord', extra: Record<string, unknown> = {},
) => {
  const values: Record<string, unknown> = {
    ...extra,
    ':kind': SUPPRESSION_KIND, ':tenant': change.tenant, ':subject': change.subject, ':type': change.subjectType,
    ':suppressed': change.suppress, ':ord': change.order, ':at': change.at, ':source': change.source,
  };
  const names: Record<string, string> = { '#ord': 'ord', '#at': 'at', '#source': 'source', '#ttl': TTL_ATTRIBUTE };
  const sets = ['kind = :kind', 'tenant = :tenant', 'subject = :subject', 'subjectType = :type', 'suppressed = :suppressed', '#ord = :ord', '#at = :at', '#source = :source'];
  const removes: string[] = [];
  for (const field of OPTIONAL) {
    names[`#${field}`] = field;
    if (change[field] === undefined) removes.push(`#${field}`);
    else {
      values[`:${field}`] = change[field];
      sets.push(`#${field} = :${field}`);
    }
  }
  if (change.suppress) removes.push('#ttl');
  else {
    values[':ttl'] = tombstoneExpiry(now);
    sets.push('#ttl = :ttl');
  }
  return new UpdateCommand({
    TableName: table, Key: suppressionKey(change.tenant, change.subject),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  });
};

/**
 * Applies a change unless the subject was erased at or after the outcome (its erasure mark, kept 2 days:
 * a record stored before an erasure but read after it must not bring the number back, tombstone included).
 * The mark is read strongly consistent: an erasure marks first and deletes the record last, so only a write
 * delayed past the whole erasure (docs/decisions.md, "Suppressions") can still land after it.
 */
export const buildSuppressionWriter = (doc: DynamoDBDocumentClient, table: string, now: () => number = Date.now): SuppressionWriter => ({
  async apply({ sequenceNumber: _seq, ...change }) {
    const { Item: mark } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: erasureMarkKey(change.tenant, change.subject), ConsistentRead: true })));
    if (mark !== undefined && v.parse(ErasureMarkSchema, mark).at >= change.at) return false;
    return storageCall(() => doc.send(updateOf(table, change, now())).then(() => true), () => false);
  },
});

const CursorKey = (key: Record<string, string | number>) =>
  typeof key.b === 'number' && Number.isInteger(key.b) && key.b >= 0 && key.b < SUPPRESSION_BUCKETS && (key.k === undefined || typeof key.k === 'string');

export const buildSuppressionStore = (doc: DynamoDBDocumentClient, table: string): SuppressionStore => ({
  async list(tenant, limit, next) {
    const cursor = decodeCursor(next, CursorKey);
    const items: SuppressionItem[] = [];
    let queries = 0;
    for (let bucket = cursor ? Number(cursor.b) : 0; bucket < SUPPRESSION_BUCKETS; bucket += 1) {
      const pk = suppressionPk(tenant, bucket);
      let start: Record<string, unknown> | undefined = cursor && bucket === Number(cursor.b) && cursor.k !== undefined ? { pk, sk: cursor.k } : undefined;
      do {
        if (queries >= MAX_QUERIES_PER_PAGE) return { items, next: encodeCursor({ b: bucket, ...(start && { k: start.sk }) }) };
        queries += 1;
        const page = await storageCall(() => doc.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk', FilterExpression: 'suppressed = :yes',
          ExpressionAttributeValues: { ':pk': pk, ':yes': true }, Limit: limit - items.length, ExclusiveStartKey: start,
        })));
        items.push(...(page.Items ?? []).map((item) => v.parse(SuppressionItemSchema, item)));
        start = page.LastEvaluatedKey;
        if (items.length >= limit) {
          const more = start !== undefined || bucket < SUPPRESSION_BUCKETS - 1;
          return { items, next: more ? encodeCursor(start ? { b: bucket, k: String(start.sk) } : { b: bucket + 1 }) : undefined };
        }
      } while (start);
    }
    return { items, next: undefined };
  },

  async get(tenant, subject) {
    const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: suppressionKey(tenant, subject) })));
    return Item === undefined ? undefined : v.parse(SuppressionItemSchema, Item);
  },

  async clear(tenant, subject, at) {
    const stored = await this.get(tenant, subject);
    if (!stored?.suppressed) return false;
    const change = { tenant, subject, subjectType: stored.subjectType, suppress: false, order: suppressionOrder(at, MANUAL_RANK), at, source: 'manual' };
    return storageCall(() => doc.send(updateOf(table, change, at, 'suppressed = :was AND #ord < :ord', { ':was': true })).then(() => true), () => false);
  },
});

/** Erasure of a phone (lib/esms/erasure.ts): its suppression item goes, whatever it says. One call, no cursor. */
export const buildSuppressionEraser = (doc: DynamoDBDocumentClient, table: string): Eraser => ({
  async erase(tenant, phone) {
    const { Attributes } = await storageCall(() => doc.send(new DeleteCommand({ TableName: table, Key: suppressionKey(tenant, phone.normalised), ReturnValues: 'ALL_OLD' })));
    return { changed: Attributes === undefined ? 0 : 1, complete: true };
  },
});
