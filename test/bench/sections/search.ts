/**
 * Section 11: search latency on 100,000 stored messages (DynamoDB Local, the real store and search code).
 * Seeding writes the items directly with BatchWriteItem, keyed by lib/table/esms.ts's builders (a head with
 * one inline callback, and its phone index item), 10,000 messages a day over 10 days; 20,000 phones with
 * ~5 messages each, plus one phone in 1,000 messages; a RequestId on every tenth message. Then p50/p99 of
 * the first page (limit 100) of a phone, a RequestId, a day, and a day filtered to ~1 in 10 messages.
 */
import '../../../infra/local/quiet';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { searchMessages, type MessageSearch } from '../../../lib/esms/search';
import { normalisePhone } from '../../../lib/esms/phone';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import {
  HEAD_SK, INLINE_PREFIX, PHONE_INDEX_KIND, REQUEST_INDEX, callbackId, dayIndexValues, messagePk, phoneIndexKey, requestIndexValue, type InlineCallback,
} from '../../../lib/table/esms';
import { KIND } from '../../../lib/table/names';
import { vietnamDay } from '../../../lib/time';
import { percentile, round, runLimited, size, writeJson } from '../common';

const MESSAGES = size('BENCH_SEARCH_MESSAGES', 100_000, 10_000);
const DAYS = 10;
const PHONES = Math.max(100, Math.floor(MESSAGES / 5));
const HEAVY = '0909000000';
const HEAVY_MESSAGES = Math.min(1000, Math.floor(MESSAGES / 20));
const QUERIES = size('BENCH_SEARCH_QUERIES', 200, 50);
const TENANT = 'bench';
const DAY0 = Date.parse('2026-11-01T08:00:00+07:00');

const phoneOf = (i: number): string => (i < HEAVY_MESSAGES ? HEAVY : `09${String(10_000_000 + (i % PHONES)).slice(-8)}`);

const itemsOf = (i: number): Array<Record<string, unknown>> => {
  const smsId = `bench-${i.toString(16).padStart(8, '0')}`;
  const firstSeen = DAY0 + (i % DAYS) * 86_400_000 + Math.floor(i / DAYS) * 7;
  const phone = phoneOf(i);
  const status = Math.floor(i / DAYS) % 10 === 3 ? 4 : 5;
  const entry: InlineCallback = { s: status, t: 2, n: [1, 1, status === 5 ? 1 : 0, status === 5 ? 0 : 1], p: 8500, at: firstSeen + 2000, rt: 'sms', q: `SMSID=${smsId}&SendStatus=${status}&phonenumber=${phone}`, ph: phone, tc: 1 };
  const requestId = i % 10 === 0 ? `order-${i}` : undefined;
  return [
    {
      pk: messagePk(TENANT, smsId), sk: HEAD_SK, kind: KIND.esms, tenant: TENANT, smsId, typeId: 2, route: 'sms', firstSeen, lastSeen: firstSeen + 2000,
      telcoId: 1, phone, ib: 200, fin: true, [`${INLINE_PREFIX}${callbackId(status, entry.q)}`]: entry,
      ...dayIndexValues(TENANT, smsId, firstSeen), ...(requestId && { requestId, [REQUEST_INDEX.hash]: requestIndexValue(TENANT, requestId, smsId) }),
    },
    { ...phoneIndexKey(TENANT, normalisePhone(phone)!, smsId), kind: PHONE_INDEX_KIND, tenant: TENANT, smsId, ds: firstSeen, sp: phone },
  ];
};

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const tables = tableNames(`bsr${Date.now().toString(36)}`);
  await ensureTables(localClient(endpoint), tables);
  const doc = buildDocumentClient(endpoint);

  const seedStarted = performance.now();
  const batches = Array.from({ length: Math.ceil(MESSAGES / 12) }, (_, b) => b);
  await runLimited(batches, 16, async (b) => {
    let requests = Array.from({ length: Math.min(12, MESSAGES - b * 12) }, (_, k) => itemsOf(b * 12 + k)).flat().map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const answer = await doc.send(new BatchWriteCommand({ RequestItems: { [tables.Messages]: requests } }));
      requests = (answer.UnprocessedItems?.[tables.Messages] ?? []) as typeof requests;
    }
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const store = buildEsmsStore(doc, tables.Messages);
  const measure = async (label: string, searches: MessageSearch[]) => {
    const ms: number[] = [];
    let found = 0;
    for (const search of searches) {
      const t0 = performance.now();
      const page = await searchMessages(store, TENANT, search, 100);
      ms.push(performance.now() - t0);
      found += page.heads.length;
    }
    const sorted = ms.sort((a, b) => a - b);
    return { label, queries: searches.length, p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1), rowsPerPage: round(found / searches.length, 1) };
  };
  const pick = (n: number, f: (k: number) => MessageSearch) => Array.from({ length: n }, (_, k) => f(k));
  const day = (k: number) => vietnamDay(DAY0 + (k % DAYS) * 86_400_000);
  const rows = [
    await measure('phone (~5 messages)', pick(QUERIES, (k) => ({ by: 'phone', phone: normalisePhone(phoneOf(HEAVY_MESSAGES + k * 37))! }))),
    await measure(`phone in ${HEAVY_MESSAGES} messages (first page)`, pick(Math.ceil(QUERIES / 4), () => ({ by: 'phone', phone: normalisePhone(HEAVY)! }))),
    await measure('requestId', pick(QUERIES, (k) => ({ by: 'requestId', requestId: `order-${((k * 130) % MESSAGES) - ((k * 130) % 10)}` }))),
    await measure(`day (${MESSAGES / DAYS} messages, first page)`, pick(Math.ceil(QUERIES / 4), (k) => ({ by: 'day', day: day(k), filters: {} }))),
    await measure('day, status=4 (1 in 10)', pick(Math.ceil(QUERIES / 4), (k) => ({ by: 'day', day: day(k), filters: { status: '4' } }))),
  ];
  writeJson(out, { messages: MESSAGES, days: DAYS, phones: PHONES, seedSeconds: round(seedSeconds, 1), rows });
  doc.destroy();
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
