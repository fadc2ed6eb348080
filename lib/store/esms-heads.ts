/**
 * Writes to eSMS heads off the callback path: the projector's reads and writes of a head it moves forward to
 * the best callback item the stream brought (the decision is lib/projector/heads.ts `projectHead`), and the
 * late-report sweep expiring a head. Heads only move forward: the write's condition re-checks the rank, so
 * concurrent projector invocations (several shards, a retried batch) settle on the best callback.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeadAdvance, HeadProjection } from '../projector/ports';
import { HEAD_ATTR, headKey, isFinal, readHead, statusRank } from '../table/esms';
import { describeOnce } from './esms-callbacks';
import { isConditionFailure, storageCall, storageFailure } from './errors';

const wcu = (answer: { ConsumedCapacity?: { CapacityUnits?: number } }): number => answer.ConsumedCapacity?.CapacityUnits ?? 0;

export const buildHeadProjection = (doc: DynamoDBDocumentClient, table: string): HeadProjection => {
  const update = async (advance: HeadAdvance, moveWinner: boolean, layouts: number[]): Promise<{ written: boolean; wcu: number }> => {
    const { candidate } = advance;
    const { q: _raw, ...summary } = candidate.entry as typeof candidate.entry & { q?: string };
    const described = describeOnce(advance.description, 'd');
    const sets = [
      ...described.sets,
      '#wv = if_not_exists(#wv, :zero) + :one',
      ...(moveWinner ? ['#ow = :ow', '#owr = :r', '#owat = :at', '#seen = :seen', ...(isFinal(candidate.entry.s) ? ['#fin = :true'] : [])] : []),
    ];
    const names: Record<string, string> = {
      ...described.names,
      '#wv': HEAD_ATTR.writeVersion,
      ...(moveWinner && { '#ow': HEAD_ATTR.winner, '#owr': HEAD_ATTR.winnerRank, '#owat': HEAD_ATTR.winnerAt, '#seen': HEAD_ATTR.lastSeen }),
      ...(moveWinner && isFinal(candidate.entry.s) && { '#fin': HEAD_ATTR.final }),
      ...(layouts.length > 0 && { '#ly': HEAD_ATTR.layouts }),
    };
    try {
      const answer = await doc.send(new UpdateCommand({
        TableName: table,
        Key: headKey(advance.description.tenant, advance.description.smsId),
        UpdateExpression: `SET ${sets.join(', ')}${layouts.length > 0 ? ' ADD #ly :ly' : ''}`,
        ...(moveWinner && { ConditionExpression: 'attribute_not_exists(#owr) OR #owr < :r OR (#owr = :r AND #owat < :at)' }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...described.values,
          ':zero': 0, ':one': 1,
          ...(moveWinner && { ':ow': { ...summary, id: candidate.id }, ':r': statusRank(candidate.entry.s), ':at': candidate.entry.at, ':seen': advance.lastSeen }),
          ...(moveWinner && isFinal(candidate.entry.s) && { ':true': true }),
          ...(layouts.length > 0 && { ':ly': new Set(layouts) }),
        },
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return { written: true, wcu: wcu(answer) };
    } catch (error) {
      if (moveWinner && isConditionFailure(error)) return { written: false, wcu: 1 };
      throw storageFailure(error);
    }
  };

  return {
    async read(tenant, smsId) {
      const { Item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: headKey(tenant, smsId) })));
      return Item ? readHead(Item) : undefined;
    },
    write: update,
  };
};

/** Marks a message expired (the late-report sweep) unless it is final or already expired; true when it changed. */
export const expireHead = (doc: DynamoDBDocumentClient, table: string) => async (tenant: string, smsId: string, at: number): Promise<boolean> => {
  try {
    await doc.send(new UpdateCommand({
      TableName: table, Key: headKey(tenant, smsId),
      UpdateExpression: 'SET #x = :at, #wv = if_not_exists(#wv, :zero) + :one',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#x) AND attribute_not_exists(#fin)',
      ExpressionAttributeNames: { '#x': HEAD_ATTR.expiredAt, '#fin': HEAD_ATTR.final, '#wv': HEAD_ATTR.writeVersion },
      ExpressionAttributeValues: { ':at': at, ':zero': 0, ':one': 1 },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw storageFailure(error);
  }
};
