/**
 * Alerts derived from stream records (lib/destinations/derive-alerts.ts): a reconciliation's finding makes
 * `alert.callbacks_lost` under an id of its key; a kept raw item makes `alert.unparsed_events` coalesced per
 * tenant and Vietnam-time hour (the id depends on the hour only).
 */
import { describe, expect, it } from 'vitest';
import { callbacksLostEvent, insertedFinding, insertedRejected, unparsedEvent, unparsedHour } from '../../lib/destinations/derive-alerts';
import { alertsPk, CALLBACKS_LOST_KIND, vietnamHour } from '../../lib/table/destinations';

const AT = Date.parse('2026-12-06T02:15:00Z'); // 09:15 in Vietnam
const finding = {
  pk: alertsPk('acme', '2026-12-06'), sk: 'LOST#000001765001700000#ab12cd34', kind: CALLBACKS_LOST_KIND, tenant: 'acme', at: AT,
  from: AT - 25 * 3_600_000, to: AT - 600_000, checked: 40, lost: 2, neverSeen: 1, lostSmsIds: ['s1', 's2'], neverSeenSmsIds: ['s3'], expiresAt: 1,
};
const rejected = (receivedAt: number, sk = `${new Date(receivedAt).toISOString()}#aaaa0000`) => ({
  pk: 'T#acme#REJ#2026-12-06', sk, kind: 'rejected', tenant: 'acme', source: 'zalo', route: 'webhook', status: 200, field: 'event_name',
  reason: 'unparsed', raw: '{"event_name":"brand_new"}', receivedAt, expiresAt: 1,
});
const insert = (newImage: Record<string, unknown>, oldImage?: Record<string, unknown>) => ({ sequenceNumber: '1', newImage, oldImage });

describe('alert.callbacks_lost', () => {
  it('a finding inserted is one alert with its window, counts and SMSIDs; the same record again has the same id', () => {
    const item = insertedFinding(insert(finding))!;
    const { tenant, event } = callbacksLostEvent(item);
    expect(tenant).toBe('acme');
    expect(JSON.parse(event.body)).toEqual({
      type: 'alert.callbacks_lost', timestamp: '2026-12-06T09:15:00.000+07:00',
      data: { window: { from: '2026-12-05T08:15:00.000+07:00', to: '2026-12-06T09:05:00.000+07:00' }, checked: 40, lost: 2, neverSeen: 1, lostSmsIds: ['s1', 's2'], neverSeenSmsIds: ['s3'] },
    });
    expect(callbacksLostEvent(insertedFinding(insert(finding))!).event.id).toBe(event.id);
    expect(callbacksLostEvent(insertedFinding(insert({ ...finding, sk: 'LOST#other' }))!).event.id).not.toBe(event.id);
    expect(insertedFinding(insert(finding, finding))).toBeUndefined();
  });
});

describe('alert.unparsed_events', () => {
  it('kept raw items of one tenant-hour share one alert id; the next hour is another alert; a replay\'s mark on the item is none', () => {
    const first = insertedRejected(insert(rejected(AT)))!;
    const later = insertedRejected(insert(rejected(AT + 30 * 60_000, 'b')))!;
    const nextHour = insertedRejected(insert(rejected(AT + 50 * 60_000, 'c')))!;
    expect([unparsedHour(first), unparsedHour(later), unparsedHour(nextHour)]).toEqual(['2026-12-06T09', '2026-12-06T09', '2026-12-06T10']);
    expect(unparsedEvent(later).event.id).toBe(unparsedEvent(first).event.id);
    expect(unparsedEvent(nextHour).event.id).not.toBe(unparsedEvent(first).event.id);
    expect(insertedRejected(insert(rejected(AT), { ...rejected(AT) }))).toBeUndefined();
    expect(vietnamHour(AT)).toBe('2026-12-06T09');
  });

  it('the alert names the hour and the first kept item, and where the rest are listed', () => {
    expect(JSON.parse(unparsedEvent(insertedRejected(insert(rejected(AT)))!).event.body)).toEqual({
      type: 'alert.unparsed_events', timestamp: '2026-12-06T09:15:00.000+07:00',
      data: {
        hour: '2026-12-06T09:00:00+07:00',
        first: { id: '2026-12-06T02:15:00.000Z#aaaa0000', source: 'zalo', route: 'webhook', status: 200, field: 'event_name', reason: 'unparsed', receivedAt: '2026-12-06T09:15:00.000+07:00' },
        list: '/api/rejected?day=2026-12-06',
      },
    });
  });
});
