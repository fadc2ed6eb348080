/**
 * Seals every stored secret again with the current token key (the first of ZALO_TOKEN_KEY's ring), so the
 * previous key can be dropped after a rotation (docs/operations.md, "Rotating zalo-token-key"): the
 * registry's OA Secret Keys, app secrets and eSMS accounts, and the OA token pairs. Each write is
 * conditional on the sealed value it read, so a value the platform rewrote meanwhile (already with the
 * current key) is left alone; a rerun finds nothing left. Values no key of the ring opens are listed.
 */
import { QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { open, seal } from '../../lib/seal';
import { OAUTH_PK } from '../../lib/table/oauth';
import { SEAL_CONTEXT } from '../../lib/table/registry';
import { resealedTokens } from '../../lib/zalo-oa/tokens';

export interface ResealReport {
  resealed: number;
  alreadyCurrent: number;
  /** `<table>:<pk>/<sk>.<field>` of values no key of the ring opens. */
  failed: string[];
}

type Item = Record<string, unknown>;

const registryFields = (item: Item): Array<{ field: string; context: string }> => {
  const pk = String(item.pk);
  if (pk.startsWith('ZAPP#')) {
    const appId = String(item.appId);
    return [
      { field: 'oaSecretKey', context: SEAL_CONTEXT.oaSecretKey(appId) },
      { field: 'appSecret', context: SEAL_CONTEXT.appSecret(appId) },
    ].filter(({ field }) => typeof item[field] === 'string');
  }
  if (pk.startsWith('ESMSACCT#') && typeof item.sealed === 'string') return [{ field: 'sealed', context: SEAL_CONTEXT.esmsAccount(String(item.tenant)) }];
  return [];
};

const opensWith = (keys: readonly Buffer[], value: string, context: string): boolean => {
  try {
    open(keys, value, context);
    return true;
  } catch {
    return false;
  }
};

const conditionalSet = async (doc: DynamoDBDocumentClient, table: string, item: Item, changes: Record<string, { from: string; to: string }>): Promise<boolean> => {
  const names = Object.keys(changes);
  try {
    await doc.send(new UpdateCommand({
      TableName: table, Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :to${i}`).join(', ')}`,
      ConditionExpression: names.map((_, i) => `#f${i} = :from${i}`).join(' AND '),
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.flatMap((name, i) => [[`:to${i}`, changes[name]!.to], [`:from${i}`, changes[name]!.from]])),
    }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

export const resealAll = async (deps: { doc: DynamoDBDocumentClient; registryTable: string; messagesTable: string; keys: readonly Buffer[] }): Promise<ResealReport> => {
  const { doc, keys } = deps;
  const current = keys.slice(0, 1);
  const report: ResealReport = { resealed: 0, alreadyCurrent: 0, failed: [] };
  let start: Item | undefined;
  do {
    const page: { Items?: Item[]; LastEvaluatedKey?: Item } = await doc.send(new ScanCommand({
      TableName: deps.registryTable, ExclusiveStartKey: start,
      FilterExpression: 'begins_with(pk, :app) OR begins_with(pk, :account)', ExpressionAttributeValues: { ':app': 'ZAPP#', ':account': 'ESMSACCT#' },
    }));
    for (const item of page.Items ?? []) {
      for (const { field, context } of registryFields(item)) {
        const value = String(item[field]);
        if (opensWith(current, value, context)) report.alreadyCurrent += 1;
        else if (!opensWith(keys, value, context)) report.failed.push(`${deps.registryTable}:${String(item.pk)}/${String(item.sk)}.${field}`);
        else if (await conditionalSet(doc, deps.registryTable, item, { [field]: { from: value, to: seal(current, open(keys, value, context), context) } })) report.resealed += 1;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  do {
    const page: { Items?: Item[]; LastEvaluatedKey?: Item } = await doc.send(new QueryCommand({ TableName: deps.messagesTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OAUTH_PK }, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const record = { tenant: String(item.tenant), oaId: String(item.oaId), access: String(item.access), refresh: String(item.refresh) };
      let next: { access: string; refresh: string } | undefined;
      try {
        next = resealedTokens(keys, record);
      } catch {
        report.failed.push(`${deps.messagesTable}:${String(item.pk)}/${String(item.sk)}.access|refresh`);
        continue;
      }
      if (next === undefined) report.alreadyCurrent += 1;
      else if (await conditionalSet(doc, deps.messagesTable, item, { access: { from: record.access, to: next.access }, refresh: { from: record.refresh, to: next.refresh } })) report.resealed += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return report;
};
