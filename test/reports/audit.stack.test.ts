/**
 * The audit on the real local stack: real callbacks through HTTP, the stream aggregator drained, then the
 * audit's streaming scan, its comparison, its conditional repair (including a counter the "stream" moves
 * between the audit's read and its repair), its memory shape and its progress output.
 */
import { BatchWriteCommand, DeleteCommand, GetCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../infra/tools/audit-run';
import { progressBar, type ProgressStream } from '../../infra/tools/progress';
import { expectedCounters, unrepairedCounters, type AuditReport } from '../../lib/reports/audit';
import { buildCountersStore } from '../../lib/store/counters';
import { DEFAULT_TENANT } from '../../lib/table/names';
import { vietnamDay } from '../../lib/time';
import { documentClient, esmsUrl, getJson, useStack } from '../support/stack';
import { bulkItems, trafficQueries } from './audit-support';
import { scanAll } from '../support/scan-all';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });

let client: DynamoDBDocumentClient | undefined;
const doc = (): DynamoDBDocumentClient => (client ??= documentClient(stack().endpoint));
afterAll(() => client?.destroy());

// The whole test runs within a few minutes of `now`: one day either side keeps a midnight crossing harmless.
const now = Date.now();
const from = vietnamDay(now - 86_400_000);
const to = vietnamDay(now + 86_400_000);
const today = vietnamDay(now);

const audit = (options: Partial<Parameters<typeof runAudit>[0]> = {}): Promise<AuditReport> => runAudit({ from, to, repair: false, ...options });

const liveCounters = async (): Promise<Array<Record<string, unknown>>> =>
  (await buildCountersStore(doc(), stack().tables.Counters).readDay(DEFAULT_TENANT, today)).filter((item) => item.scope === 'esms');

const counterItem = async (key: { pk?: unknown; sk?: unknown }): Promise<Record<string, unknown> | undefined> =>
  (await doc().send(new GetCommand({ TableName: stack().tables.Counters, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }))).Item;

const addTo = (key: { pk?: unknown; sk?: unknown }, metrics: Record<string, number>) => {
  const names = Object.keys(metrics);
  return doc().send(new UpdateCommand({
    TableName: stack().tables.Counters, Key: { pk: key.pk, sk: key.sk },
    UpdateExpression: `ADD ${names.map((_, i) => `#m${i} :m${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#m${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:m${i}`, metrics[name]])),
  }));
};

const deleteCounter = (key: { pk?: unknown; sk?: unknown }) =>
  doc().send(new DeleteCommand({ TableName: stack().tables.Counters, Key: { pk: key.pk, sk: key.sk } }));

const idOf = (item: { pk?: unknown; sk?: unknown }) => `${String(item.pk)} ${String(item.sk)}`;

describe('npm run audit on the real local stack', () => {
  it('after real callback traffic through HTTP and the stream, recomputes the same counters and finds no difference', async () => {
    for (const query of trafficQueries('aud', 40)) {
      const answer = await getJson(esmsUrl(stack(), query.route, query.query));
      expect(`${answer.status} ${JSON.stringify(answer.body)} ${query.query}`).toMatch(/^200 /);
    }
    await stack().poller!.drain();
    expect(stack().poller!.deadLetters).toEqual([]);

    const report = await audit();
    expect(report.differences).toEqual([]);
    expect(report.tenants).toEqual([DEFAULT_TENANT]);
    expect(report.expectedCounters).toBeGreaterThan(3);
    // Counters a message left (7 → 5) stay behind at zero: read, but equal to "nothing expected".
    expect(report.counters).toBeGreaterThanOrEqual(report.expectedCounters);
    expect(report.scannedItems).toBeGreaterThanOrEqual(40);
    expect(report).toMatchObject({ from, to, repaired: 0, changedDuringAudit: [], unreadableItems: 0 });
    expect(unrepairedCounters(report)).toBe(0);
    // Every (phone, SMSID) of the traffic (32 single-recipient messages with a phone) has its index entry.
    expect(report.phoneIndex).toMatchObject({ missing: 0, restored: 0, refused: 0 });
    expect(report.phoneIndex!.pairs).toBeGreaterThanOrEqual(32);

    // --tenant: the same tenant gives the same answer; another tenant has nothing expected and nothing live.
    expect(await audit({ tenant: DEFAULT_TENANT })).toEqual(report);
    expect(await audit({ tenant: 'nobody' })).toMatchObject({ tenants: ['nobody'], expectedCounters: 0, counters: 0, differences: [] });
  });

  it('finds a tampered counter and a deleted one, repairs both, and a second audit is clean', async () => {
    const [tampered, deleted] = await liveCounters().then((items) => items.filter((item) => Number(item.requests) > 0));
    expect(tampered && deleted).toBeTruthy();
    const tamperedBefore = (await counterItem(tampered!))!;
    await addTo(tampered!, { requests: 5, priceE4: -1234 });
    await deleteCounter(deleted!);

    const found = await audit();
    expect(found.differences).toEqual(expect.arrayContaining([
      { pk: tampered!.pk, sk: tampered!.sk, tenant: DEFAULT_TENANT, day: today, metric: 'requests', expected: tampered!.requests, live: Number(tampered!.requests) + 5 },
      { pk: tampered!.pk, sk: tampered!.sk, tenant: DEFAULT_TENANT, day: today, metric: 'priceE4', expected: tampered!.priceE4, live: Number(tampered!.priceE4) - 1234 },
      { pk: deleted!.pk, sk: deleted!.sk, tenant: DEFAULT_TENANT, day: today, metric: 'requests', expected: deleted!.requests, live: 0 },
    ]));
    expect(new Set(found.differences.map(idOf))).toEqual(new Set([idOf(tampered!), idOf(deleted!)]));
    expect(unrepairedCounters(found)).toBe(2);
    // Without --repair nothing was written.
    expect((await counterItem(tampered!))!.requests).toBe(Number(tampered!.requests) + 5);

    const repaired = await audit({ repair: true });
    expect(repaired).toMatchObject({ repaired: 2, changedDuringAudit: [] });
    expect(repaired.advice).toBeUndefined();
    expect(unrepairedCounters(repaired)).toBe(0);
    expect(await counterItem(tampered!)).toEqual(tamperedBefore);
    const recreated = (await counterItem(deleted!))!;
    const { pk: _pk, sk: _sk, ...deletedFields } = deleted!;
    const kept = Object.fromEntries(Object.entries(deletedFields).filter(([name]) => deleted![name] !== 0));
    expect(recreated).toEqual({ pk: deleted!.pk, sk: deleted!.sk, ...kept });
    expect(recreated).toMatchObject({ scope: 'esms', day: today, dims: deleted!.dims });

    const second = await audit();
    expect(second.differences).toEqual([]);
  });

  it('finds phone index entries a lost stream batch left missing, and a repair writes them back as the aggregator would', async () => {
    const entries = (await scanAll(doc(), stack().tables.Messages)).filter((item) => item.kind === 'esms-ph' && String(item.smsId).startsWith('aud'));
    const lost = entries.slice(0, 2);
    expect(lost).toHaveLength(2);
    for (const item of lost) await doc().send(new DeleteCommand({ TableName: stack().tables.Messages, Key: { pk: item.pk, sk: item.sk } }));

    const found = await audit();
    expect(found.phoneIndex).toMatchObject({ missing: 2, restored: 0 });
    const repaired = await audit({ repair: true });
    expect(repaired.phoneIndex).toMatchObject({ missing: 2, restored: 2 });
    for (const item of lost) {
      const { Item } = await doc().send(new GetCommand({ TableName: stack().tables.Messages, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
      expect(Item).toEqual(item);
    }
    expect((await audit()).phoneIndex).toMatchObject({ missing: 0 });
  });

  it('conditional repair loses no concurrent update: a counter the stream moves between diff and repair is refused and reported', async () => {
    const counted = await liveCounters().then((items) => items.filter((item) => Number(item.requests) > 0));
    const [moved, recreated] = counted;
    // The quiet counter must hold a `sent` to tamper with (a counter of messages none of which was sent has none).
    const quiet = counted.slice(2).find((item) => item.sent !== undefined);
    expect(moved && recreated && quiet).toBeTruthy();
    const movedBefore = (await counterItem(moved!))!;
    await addTo(moved!, { requests: 3 });
    await deleteCounter(recreated!);
    await addTo(quiet!, { sent: 7 });

    let seenByHook: string[] = [];
    const report = await audit({
      repair: true,
      // As the stream would: one more request on the tampered counter, and the deleted counter created again.
      beforeRepair: async (diffs) => {
        seenByHook = diffs.map(idOf);
        await addTo(moved!, { requests: 1 });
        await doc().send(new UpdateCommand({
          TableName: stack().tables.Counters, Key: { pk: recreated!.pk, sk: recreated!.sk },
          UpdateExpression: 'SET #dims = :dims, #scope = :scope, #day = :day ADD requests :one',
          ExpressionAttributeNames: { '#dims': 'dims', '#scope': 'scope', '#day': 'day' },
          ExpressionAttributeValues: { ':dims': recreated!.dims, ':scope': 'esms', ':day': today, ':one': 1 },
        }));
      },
    });
    expect(new Set(seenByHook)).toEqual(new Set([idOf(moved!), idOf(recreated!), idOf(quiet!)]));
    expect(report.repaired).toBe(1);
    expect(report.changedDuringAudit).toEqual(expect.arrayContaining([
      { pk: moved!.pk, sk: moved!.sk, tenant: DEFAULT_TENANT, day: today, metrics: ['requests'] },
      { pk: recreated!.pk, sk: recreated!.sk, tenant: DEFAULT_TENANT, day: today, metrics: expect.arrayContaining(['requests', 'receivers']) as unknown },
    ]));
    expect(report.changedDuringAudit).toHaveLength(2);
    expect(report.advice).toMatch(/run the audit again/);
    expect(unrepairedCounters(report)).toBe(2);

    // The concurrent updates survive: nothing was overwritten or added on the refused counters.
    expect((await counterItem(moved!))!.requests).toBe(Number(moved!.requests) + 3 + 1);
    expect(await counterItem(recreated!)).toMatchObject({ requests: 1 });
    expect(await counterItem(quiet!)).toMatchObject({ sent: quiet!.sent });

    // Rerun, as the report says: everything is repaired.
    const rerun = await audit({ repair: true });
    expect(rerun).toMatchObject({ repaired: 2, changedDuringAudit: [] });
    expect(await counterItem(moved!)).toEqual(movedBefore);
    expect(await counterItem(recreated!)).toMatchObject({ requests: recreated!.requests });
    expect((await audit()).differences).toEqual([]);
  });

  it('keeps counters only: scannedItems counts all of 3,000 stored items (4 MB of raw bodies) while the result holds no item', async () => {
    const items = bulkItems('bulk', 3000, now);
    for (let i = 0; i < items.length; i += 25) {
      await doc().send(new BatchWriteCommand({ RequestItems: { [stack().tables.Messages]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    await stack().poller!.drain();
    const tableItems = await countItems(doc(), stack().tables.Messages);
    expect(tableItems).toBeGreaterThan(3000);

    const report = await audit();
    expect(report.scannedItems).toBe(tableItems);
    expect(report.unreadableItems).toBe(1); // the one poison item, dead-lettered by the aggregator too
    expect(report.tenants).toEqual(['bulk', DEFAULT_TENANT]);
    expect(report.differences).toEqual([]);
    // Everything the result holds is a number, a string or a small record; no stored item anywhere.
    const objects = allObjects(report);
    expect(objects.filter((o) => 'kind' in o || 'raw' in o || 'smsId' in o || Object.keys(o).some((k) => k.startsWith('c#')))).toEqual([]);
    expect(JSON.stringify(report).length).toBeLessThan(2_000);
    // A parallel scan (4 segments) folds the same items into the same answer.
    expect(await audit({ segments: 4 })).toEqual(report);

    // The reducer itself, fed the 3,000 items one by one, ends up holding counters and numbers only.
    const state = expectedCounters(items, new Set([today]));
    expect(state.scannedItems).toBe(3000);
    expect(Object.keys(state).sort()).toEqual(['counters', 'expiredDays', 'scannedItems', 'tenants', 'unreadableItems']);
    // Days are kept as names (one per tenant day a head was read past its TTL), never items: none here.
    expect(state.expiredDays.size).toBe(0);
    expect(state.counters.size).toBeLessThan(20);
    for (const counter of state.counters.values()) expect(Object.keys(counter).sort()).toEqual(['day', 'dims', 'metrics', 'pk', 'scope', 'sk', 'tenant']);
    const bulk = [...state.counters.values()].filter((c) => c.tenant === 'bulk').reduce((sum, c) => sum + (c.metrics.requests ?? 0), 0);
    expect(bulk).toBe(2499);
  }, 240_000);

  it('progress reaches 100 % on a (fake) terminal, never before the scan ends, then reads counters to 100 %; a log gets one line per 10 %', async () => {
    const chunks: string[] = [];
    const tty: ProgressStream = { isTTY: true, write: (chunk: string) => chunks.push(chunk) };
    await audit({ progress: tty });
    const output = chunks.join('');
    const frames = output.split(/[\r\n]/).map((frame) => frame.trim()).filter(Boolean);
    const percent = (frame: string) => Number(/\]\s+(\d+) %/.exec(frame)?.[1]);
    const scan = frames.filter((frame) => frame.startsWith('scanning messages'));
    const read = frames.filter((frame) => frame.startsWith('reading counters'));
    expect(scan.length).toBeGreaterThan(3); // several pages, each redrawn as it is folded
    expect(percent(scan.at(-1)!)).toBe(100);
    expect(scan.slice(0, -1).every((frame) => percent(frame) <= 99)).toBe(true);
    expect(scan.map(percent)).toEqual([...scan.map(percent)].sort((a, b) => a - b));
    expect(scan.at(-1)).toMatch(/ \d[\d,]* \/ ~[\d,]+ items$/);
    expect(percent(read.at(-1)!)).toBe(100);
    expect(read.at(-1)).toContain(`${2 * 3}/${2 * 3} tenant-days`); // bulk and default × 3 days
    expect(output.indexOf('reading counters')).toBeGreaterThan(output.lastIndexOf('scanning messages'));
    expect(output.endsWith('\n')).toBe(true);

    const lines: string[] = [];
    await audit({ progress: { write: (chunk: string) => lines.push(chunk) } });
    expect(lines.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('scanning messages')).length).toBeLessThanOrEqual(11);
    expect(lines).toContainEqual(expect.stringMatching(/^scanning messages: 100 % /));
    expect(lines.at(-1)).toMatch(/^reading counters: 100 % /);

    // A stale ItemCount (fewer items than scanned) never shows more than 99 % before the end.
    const clamp: string[] = [];
    const bar = progressBar({ isTTY: false, write: (chunk: string) => clamp.push(chunk) }, 'scanning messages');
    bar.show(0.5, 'half');
    bar.show(3, 'three times the estimate');
    bar.done('done');
    expect(clamp).toEqual(['scanning messages: 50 % half\n', 'scanning messages: 99 % three times the estimate\n', 'scanning messages: 100 % done\n']);
  });
});

const countItems = async (client: DynamoDBDocumentClient, table: string): Promise<number> => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};

const allObjects = (value: unknown, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> => {
  if (Array.isArray(value)) for (const element of value) allObjects(element, found);
  else if (value !== null && typeof value === 'object') {
    found.push(value as Record<string, unknown>);
    for (const inner of Object.values(value)) allObjects(inner, found);
  }
  return found;
};
