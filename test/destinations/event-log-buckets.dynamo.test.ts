/**
 * The event log spread over buckets (lib/table/destinations.ts, lib/store/destinations.ts) on DynamoDB Local: one
 * tenant-day's events land in every bucket by a hash of their id; a replay's read merges the buckets (and the
 * day's key of before buckets) back into time order, page by page as the replay route pages; erasure reaches
 * every bucket and the old key.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { erasedPhone } from '../../lib/esms/erasure';
import { makeEvent } from '../../lib/destinations/events';
import { buildEventLog } from '../../lib/store/destinations';
import { buildEventLogEraser } from '../../lib/store/event-log-erasure';
import { EVENT_KIND, EVENT_LOG_BUCKETS, eventLogPk, timeSk } from '../../lib/table/destinations';
import { vietnamDay } from '../../lib/time';
import { scanAll } from '../support/scan-all';
import { useTables } from '../support/tables';

const { names, doc } = useTables();

describe('the event log over buckets', () => {
  it('a day\'s events spread over every bucket; the window reads back in time order across buckets and the old key, page by page; erasure reaches them all', async () => {
    const now = Date.now();
    const log = buildEventLog(doc, names.Messages);
    const events = Array.from({ length: 300 }, (_, i) => makeEvent(`evt_b${i}`, 'esms.recipient.updated', now - 3_600_000 + i * 1000, { smsId: `S${i}`, phone: i % 50 === 0 ? '0901888484' : '0912000002', status: 5 }));
    await log.add('acme', events);
    // An event logged before buckets existed, under the day's key alone.
    const old = makeEvent('evt_old', 'esms.recipient.updated', now - 3_600_000 + 150_500, { smsId: 'OLD', phone: '0901888484', status: 5 });
    await doc.send(new PutCommand({ TableName: names.Messages, Item: { pk: eventLogPk('acme', vietnamDay(old.at)), sk: timeSk(old.at, old.id), kind: EVENT_KIND, ...old, expiresAt: Math.floor(now / 1000) + 86_400 } }));

    const items = (await scanAll(doc, names.Messages)).filter((item) => String(item.pk).startsWith('T#acme#EVT#'));
    const partitions = new Set(items.map((item) => String(item.pk)));
    expect(partitions.size).toBe(EVENT_LOG_BUCKETS + (vietnamDay(now - 3_600_000) === vietnamDay(now) ? 1 : 2));

    const expected = [...events, old].sort((a, b) => a.at - b.at).map((event) => event.id);
    // Pages of 40 as the replay route pages (its `next` is the time of the first event past the page).
    const read: string[] = [];
    let from = now - 2 * 3_600_000;
    for (;;) {
      const page = await log.between('acme', from, now, 41);
      read.push(...page.slice(0, 40).map((event) => event.id));
      if (page.length <= 40) break;
      from = page[40]!.at;
    }
    expect(read).toEqual(expected);

    const eraser = buildEventLogEraser(doc, names.Messages, 1);
    const result = await eraser.erase('acme', erasedPhone('0901888484'), { started: now, deadline: now + 60_000, now: Date.now }, undefined);
    expect(result).toMatchObject({ changed: 7, complete: true });
    const after = (await scanAll(doc, names.Messages)).filter((item) => String(item.pk).startsWith('T#acme#EVT#'));
    expect(after.filter((item) => String(item.body).includes('0901888484'))).toEqual([]);
  });
});
