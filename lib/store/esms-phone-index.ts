/**
 * The phone index written from the stream (lib/projector/phone-pairs.ts): one BatchGetItem per 50 pairs
 * finds the pairs indexed already and the phones' erasure marks, then one conditional PutItem per new pair
 * (a refusal means a concurrent writer got there first). A pair whose callback was stored before an
 * erasure of its phone is not indexed: its message is erased (lib/store/esms-erasure.ts), the erasure
 * having run before the index knew the message.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PhoneIndexResult, PhoneIndexWriter } from '../projector/ports';
import type { PhonePair } from '../projector/ports';
import { runInLanes } from '../lanes';
import { PHONE_INDEX_KIND, erasureMarkKey, phoneIndexKey, type PhoneIndexItem } from '../table/esms';
import { TTL_ATTRIBUTE } from '../table/names';
import { StorageRequestBug } from '../errors';
import { batchGetAll } from './batch-get';
import { isConditionFailure, storageFailure } from './errors';
import type { ErasedMessage } from './esms-erasure';

/** Pairs per BatchGetItem: each asks for its index item and its phone's mark (100 keys at most). */
const PAIRS_PER_READ = 50;
const LANES = 8;

type Key = { pk: string; sk: string };
const reasonOf = (error: StorageRequestBug): string => (error.cause instanceof Error ? error.cause.message : error.message);
const keyId = (key: Key): string => `${key.pk}\n${key.sk}`;

export const buildPhoneIndexWriter = (
  doc: DynamoDBDocumentClient,
  table: string,
  eraseMessage: (tenant: string, phone: string, message: ErasedMessage) => Promise<number>,
): PhoneIndexWriter => {
  /** The items among `keys` that exist, by key id (the marks with their `at`). */
  const existing = async (keys: Key[]): Promise<Map<string, Record<string, unknown>>> => {
    const unique = [...new Map(keys.map((key) => [keyId(key), key])).values()];
    const items = await batchGetAll(doc, table, unique, { ProjectionExpression: 'pk, sk, #at', ExpressionAttributeNames: { '#at': 'at' } });
    return new Map(items.map((item) => [keyId(item as Key), item]));
  };

  const put = async (pair: PhonePair): Promise<boolean> => {
    const item: PhoneIndexItem & { [TTL_ATTRIBUTE]?: number } = {
      ...phoneIndexKey(pair.tenant, pair.phone, pair.smsId), kind: PHONE_INDEX_KIND, tenant: pair.tenant, smsId: pair.smsId, ds: pair.ds, sp: pair.spelling,
      ...(pair.expiresAt !== undefined && { [TTL_ATTRIBUTE]: pair.expiresAt }),
    };
    try {
      await doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storageFailure(error);
    }
  };

  const keysOf = (pairs: PhonePair[]): Key[] => pairs.flatMap((pair) => [phoneIndexKey(pair.tenant, pair.phone, pair.smsId), erasureMarkKey(pair.tenant, pair.phone)]);
  /** The chunk's index items and marks; a key DynamoDB refuses fails the whole read, so then each pair is read alone. */
  const readChunk = async (chunk: PhonePair[]) => {
    const invalid: PhoneIndexResult['refused'] = [];
    try {
      return { found: await existing(keysOf(chunk)), invalid };
    } catch (error) {
      if (!(error instanceof StorageRequestBug)) throw error;
    }
    const found = new Map<string, Record<string, unknown>>();
    for (const pair of chunk) {
      try {
        for (const [id, item] of await existing(keysOf([pair]))) found.set(id, item);
      } catch (error) {
        if (!(error instanceof StorageRequestBug)) throw error;
        invalid.push({ pair, reason: reasonOf(error) });
      }
    }
    return { found, invalid };
  };

  const indexOne = async (pair: PhonePair, found: Map<string, Record<string, unknown>>, result: PhoneIndexResult, dryRun: boolean): Promise<void> => {
    if (found.has(keyId(phoneIndexKey(pair.tenant, pair.phone, pair.smsId)))) {
      result.present += 1;
      return;
    }
    result.missing += 1;
    if (dryRun) return;
    const mark = found.get(keyId(erasureMarkKey(pair.tenant, pair.phone)));
    if (mark !== undefined && Number(mark.at) >= pair.storedAt) {
      await eraseMessage(pair.tenant, pair.phone, { smsId: pair.smsId, sp: pair.spelling });
      result.erased += 1;
      return;
    }
    if (await put(pair)) result.written += 1;
    else result.present += 1;
  };

  return {
    async index(pairs, { dryRun = false } = {}) {
      // One per pair: its earliest record decides its first-seen time, and whether an erasure came after it.
      const unique = new Map<string, PhonePair>();
      for (const pair of pairs) {
        const id = keyId(phoneIndexKey(pair.tenant, pair.phone, pair.smsId));
        const seen = unique.get(id);
        unique.set(id, seen ? { ...seen, ds: Math.min(seen.ds, pair.ds), storedAt: Math.min(seen.storedAt, pair.storedAt) } : pair);
      }
      const result: PhoneIndexResult = { missing: 0, written: 0, present: 0, erased: 0, refused: [] };
      const all = [...unique.values()];
      for (let i = 0; i < all.length; i += PAIRS_PER_READ) {
        const chunk = all.slice(i, i + PAIRS_PER_READ);
        const { found, invalid } = await readChunk(chunk);
        result.refused.push(...invalid);
        const readable = chunk.filter((pair) => !invalid.some((entry) => entry.pair === pair));
        const outcomes = await runInLanes(readable, LANES, (pair) => indexOne(pair, found, result, dryRun).catch((error: unknown) => {
          // An outage is retried with the records; a request DynamoDB calls invalid would fail forever and block the shard.
          if (!(error instanceof StorageRequestBug)) throw error;
          result.refused.push({ pair, reason: reasonOf(error) });
        }));
        const failure = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failure) throw (failure as PromiseRejectedResult).reason;
      }
      return result;
    },
  };
};
