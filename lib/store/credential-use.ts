/**
 * DynamoDB adapter of CredentialUseStore (lib/tenants/ports.ts): one conditional UpdateItem on the
 * credential's entry in its tenant's index (`T#<tenant>#CRED`, lib/table/registry.ts). The condition makes
 * it about one successful write per credential-hour across every instance, and never creates an entry (a
 * revoked credential's entry stays gone).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { credentialIndexKey } from '../table/registry';
import type { CredentialUseStore } from '../tenants/ports';
import { isConditionFailure } from './errors';

export const buildCredentialUseStore = (doc: DynamoDBDocumentClient, table: string): CredentialUseStore => ({
  async markUsed(credential, at, staleBefore, signal) {
    try {
      await doc.send(new UpdateCommand({
        TableName: table,
        Key: credentialIndexKey(credential.tenant, credential.kind, credential.id),
        UpdateExpression: 'SET lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :staleBefore)',
        ExpressionAttributeValues: { ':now': at, ':staleBefore': staleBefore },
      }), signal ? { abortSignal: signal } : {});
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
});
