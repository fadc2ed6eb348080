/**
 * The eSMS write path (layout: lib/table/esms.ts): every callback is ONE conditional DynamoDB request.
 *
 * A single-recipient callback goes inside the head with one UpdateItem, unless that exact callback is there
 * already (a retry) or the head's inline budget is used up. Everything else (a batch's per-phone callbacks, a
 * callback the head has no room for) is a callback item of its own: one conditional PutItem in the partition
 * its layout gives it, so a retry is a refused write. Such an item reaches the head through the stream (the
 * projector, lib/store/esms-heads.ts): the callback path never reads or writes a key that every callback of a
 * batch shares. Only this file knows the condition failures and turns them into `duplicate`.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeadDescription, StoreCallbackInput, StoreCallbackResult } from '../esms/ports';
import {
  HEAD_ATTR, INLINE_BUDGET_BYTES, isFinal, storedCallback, INLINE_PREFIX, REQUEST_INDEX, RECIPIENTS_PER_SHARD, batchShards, dayIndexValues, headKey, inlineSize, overflowKey,
  requestIndexValue, type InlineCallback, type OverflowItem,
} from '../table/esms';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import { isConditionFailure, storageFailure } from './errors';
import { placeholders } from './expression';

/** Days a tenant's messages are kept (TTL), or undefined to keep them until erased. */
export type RetentionDays = (tenant: string) => number | undefined | Promise<number | undefined>;

/** The TTL (epoch seconds) of an item of a message first seen at `at`, under the tenant's retention. */
export const expiryOf = async (retention: RetentionDays, tenant: string, at: number): Promise<number | undefined> => {
  const days = await retention(tenant);
  return days === undefined ? undefined : Math.floor(at / 1000) + days * 86_400;
};

const zaloMsgId = (input: StoreCallbackInput): string | undefined => input.event.partnerIds ?? input.event.errorInfo?.zaloMsgId;

export const descriptionAttributes = (d: HeadDescription): Array<readonly [string, unknown]> => Object.entries({
  kind: KIND.esms, tenant: d.tenant, smsId: d.smsId, typeId: d.typeId, route: d.route, firstSeen: d.firstSeen,
  telcoId: d.telcoId, oaId: d.oaId, templateId: d.templateId, requestId: d.requestId, phone: d.phone,
  ...dayIndexValues(d.tenant, d.smsId, d.firstSeen),
  [REQUEST_INDEX.hash]: d.requestId === undefined ? undefined : requestIndexValue(d.tenant, d.requestId, d.smsId),
  [TTL_ATTRIBUTE]: d.expiresAt,
}).filter(([, value]) => value !== undefined);

/** `SET a = if_not_exists(a, :a)` clauses for a description. */
export const describeOnce = (description: HeadDescription, prefix: string) => {
  const refs = placeholders(descriptionAttributes(description), prefix);
  return { names: refs.names, values: refs.values, sets: Object.keys(refs.names).map((ref) => `${ref} = if_not_exists(${ref}, ${ref.replace('#', ':')})`) };
};

const wcu = (answer: { ConsumedCapacity?: { CapacityUnits?: number } }): number => answer.ConsumedCapacity?.CapacityUnits ?? 0;
/** A refused conditional write still consumes capacity: at least one unit. */
const refusedWcu = (error: unknown): number => Math.max(1, (error as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 1);

export interface EsmsCallbackWriter {
  storeCallback(input: StoreCallbackInput): Promise<StoreCallbackResult>;
}

/** `retention`: the tenant's retention of messages (TTL on every item written); default: kept. */
export const buildEsmsCallbackWriter = (doc: DynamoDBDocumentClient, table: string, retention: RetentionDays = () => undefined, recipientsPerShard = RECIPIENTS_PER_SHARD): EsmsCallbackWriter => {
  const firstSeenOf = (input: StoreCallbackInput): number => input.firstSeen ?? input.receivedAt;

  /** Inline path: one UpdateItem. Answers on a refusal whether the callback was there (a retry) or the head is full. */
  const addInline = async (input: StoreCallbackInput, id: string, entry: InlineCallback, size: number) => {
    const { event, tenant, route } = input;
    const described = describeOnce({
      tenant, smsId: event.smsId, typeId: event.typeId, route, firstSeen: firstSeenOf(input), telcoId: event.telcoId, oaId: event.oaId,
      templateId: event.templateId, requestId: event.requestId, phone: event.phone, expiresAt: await expiryOf(retention, tenant, firstSeenOf(input)),
    }, 'd');
    const zmsg = zaloMsgId(input);
    const sets = [
      '#e = :e', '#seen = :now', '#ib = if_not_exists(#ib, :zero) + :size', '#wv = if_not_exists(#wv, :zero) + :one', ...(isFinal(entry.s) ? ['#fin = :true'] : []),
      // The latest Zalo msg id links the message (the index is only rewritten when it changes).
      ...(zmsg !== undefined ? ['#zmsg = :z'] : []),
      ...described.sets,
    ];
    try {
      const answer = await doc.send(new UpdateCommand({
        TableName: table,
        Key: headKey(tenant, event.smsId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#e) AND (attribute_not_exists(#ib) OR #ib <= :room)',
        ExpressionAttributeNames: {
          '#e': `${INLINE_PREFIX}${id}`, '#seen': HEAD_ATTR.lastSeen, '#ib': HEAD_ATTR.inlineBytes, '#wv': HEAD_ATTR.writeVersion, ...described.names,
          ...(isFinal(entry.s) && { '#fin': HEAD_ATTR.final }), ...(zmsg !== undefined && { '#zmsg': HEAD_ATTR.zaloMsgId }),
        },
        ExpressionAttributeValues: {
          ':e': entry, ':now': input.receivedAt, ':zero': 0, ':one': 1, ':size': size, ':room': INLINE_BUDGET_BYTES - size, ...described.values,
          ...(zmsg !== undefined && { ':z': zmsg }),
          ...(isFinal(entry.s) && { ':true': true }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { stored: true as const, wcu: wcu(answer) };
    } catch (error) {
      if (!isConditionFailure(error)) throw storageFailure(error);
      const old = (error as { Item?: Record<string, unknown> }).Item;
      return { stored: false as const, wcu: refusedWcu(error), duplicate: old !== undefined && `${INLINE_PREFIX}${id}` in old };
    }
  };

  /** A callback item of its own, in its layout's partition: one conditional PutItem (a retry is refused). */
  const putItem = async (input: StoreCallbackInput, id: string, entry: InlineCallback): Promise<{ duplicate: boolean; wcu: number }> => {
    const { event, tenant } = input;
    const shards = event.totalReceiver <= 1 ? 1 : batchShards(event.totalReceiver, recipientsPerShard);
    const zmsg = zaloMsgId(input);
    const expiresAt = await expiryOf(retention, tenant, firstSeenOf(input));
    const item: OverflowItem = {
      ...overflowKey(tenant, event.smsId, event.phone, id, shards),
      kind: KIND.esmsCallback, tenant, smsId: event.smsId, id, ...entry, sh: shards,
      ...(zmsg !== undefined && { zmsg }),
      ...(input.firstSeen !== undefined && input.firstSeen !== input.receivedAt && { fs: input.firstSeen }),
      ...(event.oaId !== undefined && { oa: event.oaId }),
      ...(event.templateId !== undefined && { tp: event.templateId }),
      ...(event.requestId !== undefined && { rq: event.requestId }),
      ...(expiresAt !== undefined && { [TTL_ATTRIBUTE]: expiresAt }),
    };
    try {
      const answer = await doc.send(new PutCommand({
        TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)', ReturnConsumedCapacity: 'TOTAL',
      }));
      return { duplicate: false, wcu: wcu(answer) };
    } catch (error) {
      if (isConditionFailure(error)) return { duplicate: true, wcu: refusedWcu(error) };
      throw storageFailure(error);
    }
  };

  return {
    async storeCallback(input) {
      const { id, entry } = storedCallback(input);
      const size = inlineSize(id, entry);
      if (input.event.totalReceiver <= 1 && size <= INLINE_BUDGET_BYTES) {
        const inline = await addInline(input, id, entry, size);
        if (inline.stored) return { duplicate: false, consumedWcu: inline.wcu, headChanged: true };
        if (inline.duplicate) return { duplicate: true, consumedWcu: inline.wcu, headChanged: false };
        const spilled = await putItem(input, id, entry);
        return { duplicate: spilled.duplicate, consumedWcu: inline.wcu + spilled.wcu };
      }
      const put = await putItem(input, id, entry);
      return { duplicate: put.duplicate, consumedWcu: put.wcu };
    },
  };
};
