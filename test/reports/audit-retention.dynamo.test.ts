/**
 * Issue 22 finding 1: `npm run audit -- --repair` after retention. Heads stored with the tenant's TTL,
 * their counters in place, then DynamoDB's TTL removes the heads of an old day: the audit reports that day
 * as outside retention, compares nothing of it and the repair writes nothing, so the report keeps the
 * expired messages' figures. A day one of whose heads is read past its TTL (retention was shorter when it
 * was stored) is left alone the same way; a day inside retention is still audited and repaired.
 */
import { BatchWriteCommand, DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDifferences, repairDifferences } from '../../infra/tools/audit-run';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import { buildCounterRepairer } from '../../lib/store/counter-repair';
import { buildCountersStore } from '../../lib/store/counters';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { TTL_ATTRIBUTE } from '../../lib/table/names';
import { dayStartMs, vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { useTables } from '../support/tables';

const TENANT = 'ret';
const RETENTION = 30;
const now = Date.now();
const old = vietnamDay(now - 40 * 86_400_000);
const recent = vietnamDay(now - 2 * 86_400_000);

const { names, doc } = useTables();

const heads = async () => (await doc.send(new ScanCommand({ TableName: names.Messages, FilterExpression: 'kind = :k', ExpressionAttributeValues: { ':k': 'esms' } }))).Items ?? [];
const counters = async (day: string) => (await buildCountersStore(doc, names.Counters).readDay(TENANT, day)).filter((item) => item.scope === 'esms');
const audit = (retention: number | undefined, at = now) => findDifferences(doc, { messages: names.Messages, counters: names.Counters }, {
  from: old, to: recent, tenant: TENANT, retention: () => Promise.resolve(retention), now: at,
});

beforeAll(async () => {
  // Stored as the callback path stores them: TTL = first seen + the tenant's retention.
  const store = buildEsmsStore(doc, names.Messages, () => RETENTION);
  for (const [day, prefix] of [[old, 'old'], [recent, 'new']] as const) {
    for (let i = 0; i < 5; i += 1) {
      const { event, canonical } = parseCallbackWithIdentity(callbackQuery({ smsId: `${prefix}${i}`, status: 5, receivers: 1, sent: 1, success: 1, price: '300.0000' }));
      await store.storeCallback({ tenant: TENANT, event, canonical, raw: canonical, route: 'sms', receivedAt: dayStartMs(day) + 3_600_000 + i });
    }
  }
  // The counters the aggregator would have written: the audit's own repair writes them into the empty table,
  // as an audit run 35 days ago would have (every head still well inside its TTL then).
  const first = await audit(RETENTION, now - 35 * 86_400_000);
  expect(await repairDifferences(buildCounterRepairer(doc, names.Counters), first.diffs)).toMatchObject({ changedDuringAudit: [] });
  expect(first.report.outsideRetention).toEqual([]);
  const clean = await audit(RETENTION, now - 35 * 86_400_000);
  expect(clean.report.differences, 'the counters match the stored heads').toEqual([]);
});

describe('the audit after retention', () => {
  it('leaves the eSMS counters of a day retention has emptied as they are, and still repairs a day inside retention', async () => {
    const stored = await heads();
    expect(stored.every((head) => typeof head[TTL_ATTRIBUTE] === 'number')).toBe(true);
    // DynamoDB's TTL removes the old day's heads (their expiresAt passed ten days ago).
    const expired = stored.filter((head) => (head[TTL_ATTRIBUTE] as number) * 1000 <= now);
    expect(expired.map((head) => vietnamDay(head.firstSeen as number))).toEqual(Array(5).fill(old));
    await doc.send(new BatchWriteCommand({ RequestItems: { [names.Messages]: expired.map((head) => ({ DeleteRequest: { Key: { pk: head.pk, sk: head.sk } } })) } }));
    // And a counter of the recent day is tampered with, so the repair has something it must still do.
    const [recentCounter] = await counters(recent);
    await doc.send(new UpdateCommand({ TableName: names.Counters, Key: { pk: recentCounter!.pk, sk: recentCounter!.sk }, UpdateExpression: 'ADD requests :one', ExpressionAttributeValues: { ':one': 1 } }));

    const before = await counters(old);
    expect(before.reduce((sum, item) => sum + Number(item.requests), 0)).toBe(5);
    const { report, diffs } = await audit(RETENTION);
    // Every day of the range whose first instant is 30 days gone or more, the emptied one first.
    expect(report.outsideRetention[0]).toEqual({ tenant: TENANT, day: old });
    expect(report.outsideRetention.map(({ day }) => day)).toEqual(report.outsideRetention.map(({ day }) => day).filter((day) => dayStartMs(day) + RETENTION * 86_400_000 <= now));
    expect(report.outsideRetention.length).toBeGreaterThanOrEqual(10);
    expect(report.differences.map((row) => `${row.day} ${row.metric} ${row.expected} ${row.live}`)).toEqual([`${recent} requests 5 6`]);
    const outcome = await repairDifferences(buildCounterRepairer(doc, names.Counters), diffs);
    expect(outcome).toEqual({ repaired: 1, changedDuringAudit: [] });
    // The report of the old day still has its five messages; the recent one is back to its true figure.
    expect(await counters(old)).toEqual(before);
    expect((await counters(recent)).reduce((sum, item) => sum + Number(item.requests), 0)).toBe(5);
    expect((await audit(RETENTION)).report.differences).toEqual([]);
  });

  it('without retention (kept until erased) every day is compared: the emptied day shows as differences', async () => {
    const { report } = await audit(undefined);
    expect(report.outsideRetention).toEqual([]);
    const emptied = report.differences.filter((row) => row.day === old && row.metric === 'requests');
    expect(emptied.length).toBeGreaterThan(0);
    expect(emptied.every((row) => row.expected === 0 && row.live === 5)).toBe(true);
  });
  it('leaves alone a day one of whose heads is past its TTL though today\'s retention would keep it (retention was shorter then)', async () => {
    const [head] = (await heads()).filter((item) => vietnamDay(item.firstSeen as number) === recent);
    await doc.send(new UpdateCommand({ TableName: names.Messages, Key: { pk: head!.pk, sk: head!.sk }, UpdateExpression: 'SET #ttl = :past', ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE }, ExpressionAttributeValues: { ':past': Math.floor(now / 1000) - 60 } }));
    // TTL deleted one of its siblings already.
    const sibling = (await heads()).find((item) => vietnamDay(item.firstSeen as number) === recent && item.pk !== head!.pk)!;
    await doc.send(new DeleteCommand({ TableName: names.Messages, Key: { pk: sibling.pk, sk: sibling.sk } }));
    const { report } = await audit(365);
    // (The old day, all of whose heads are gone, looks like a day of no messages: only retention tells it apart.)
    expect(report.outsideRetention).toEqual([{ tenant: TENANT, day: recent }]);
    expect(report.differences.filter((row) => row.day === recent)).toEqual([]);
  });

});
