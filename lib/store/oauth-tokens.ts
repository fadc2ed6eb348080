/**
 * DynamoDB adapter of the `TokenStore` port (lib/zalo-oa/ports.ts): connected OAs' tokens, already
 * sealed by the caller (this file never sees a plaintext token), keyed as lib/table/oauth.ts says. `ver`
 * makes a refresh a compare-and-swap and the lease (`leaseId`, `leaseUntil`) is taken before Zalo is
 * called: a refresh token is single-use, so two refreshers must never both spend it.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { KIND } from '../table/names';
import { OAUTH_PK, oauthTokenKey, TOKEN_SK_PREFIX, TokenRecordSchema, type NewTokens } from '../table/oauth';
import type { TokenStore } from '../zalo-oa/ports';
import { storageCall } from './errors';
import { placeholders } from './expression';
import { queryAll } from './query-all';

/** Sets every field of the record and the kind, bumps `ver`, and drops any lease and revocation. */
const update = (record: NewTokens) => {
  const fields = placeholders(Object.entries(record), 'a');
  return {
    UpdateExpression: `SET ${['#kind = :kind', ...fields.assignments].join(', ')} ADD #ver :one REMOVE leaseId, leaseUntil, revokedAt, revokedReason`,
    ExpressionAttributeNames: { '#kind': 'kind', '#ver': 'ver', ...fields.names },
    ExpressionAttributeValues: { ':kind': KIND.oauth, ':one': 1, ...fields.values } as Record<string, unknown>,
  };
};

export const buildTokenStore = (doc: DynamoDBDocumentClient, table: string): TokenStore => {
  /** One conditional update; false when the condition refused it. */
  const conditional = (input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> =>
    storageCall(async () => {
      await doc.send(new UpdateCommand({ TableName: table, ...input }));
      return true;
    }, () => false);

  return {
    async save(record) {
      await conditional({ Key: oauthTokenKey(record.tenant, record.oaId), ...update(record) });
    },

    replace(record, expectedVer, leaseId) {
      const { ExpressionAttributeValues, ...rest } = update(record);
      return conditional({
        Key: oauthTokenKey(record.tenant, record.oaId),
        ...rest,
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':expected': expectedVer, ':lease': leaseId },
        ConditionExpression: '#ver = :expected AND leaseId = :lease',
      });
    },

    async get(tenant, oaId) {
      const { Item: item } = await storageCall(() => doc.send(new GetCommand({ TableName: table, Key: oauthTokenKey(tenant, oaId), ConsistentRead: true })));
      return item ? v.parse(TokenRecordSchema, item) : undefined;
    },

    async expiringBefore(before) {
      const items = await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'accessExpiresAt < :before AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':pk': OAUTH_PK, ':prefix': TOKEN_SK_PREFIX, ':before': before },
        ConsistentRead: true,
      });
      return items.map((item) => v.parse(TokenRecordSchema, item));
    },

    lease(record, leaseId, until, now) {
      return conditional({
        Key: oauthTokenKey(record.tenant, record.oaId),
        UpdateExpression: 'SET leaseId = :lease, leaseUntil = :until',
        ConditionExpression: '#ver = :ver AND attribute_not_exists(revokedAt) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#ver': 'ver' },
        ExpressionAttributeValues: { ':lease': leaseId, ':until': until, ':ver': record.ver, ':now': now },
      });
    },

    async release(record, leaseId) {
      await conditional({
        Key: oauthTokenKey(record.tenant, record.oaId),
        UpdateExpression: 'REMOVE leaseId, leaseUntil',
        ConditionExpression: 'leaseId = :lease',
        ExpressionAttributeValues: { ':lease': leaseId },
      });
    },

    markRevoked(tenant, oaId, at, reason) {
      return conditional({
        Key: oauthTokenKey(tenant, oaId),
        UpdateExpression: 'SET revokedAt = :at, revokedReason = :reason REMOVE leaseId, leaseUntil',
        ConditionExpression: 'attribute_exists(pk) AND connectedAt <= :at AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': at, ':reason': reason.slice(0, 200) },
      });
    },
  };
};
