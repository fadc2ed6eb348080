/** What each stored item adds to its tenant's usage (lib/aggregate/usage-contributions.ts) and the month's days. */
import { describe, expect, it } from 'vitest';
import { counterDelta } from '../../lib/aggregate/deltas';
import { daysOfMonth } from '../../lib/api/usage';

const AT = Date.parse('2026-11-30T23:30:00+07:00');
const NEXT_DAY = AT + 3_600_000;
const usageOf = (delta: ReturnType<typeof counterDelta>) =>
  Object.fromEntries([...delta.values()].filter(({ key }) => key.scope === 'usage').map(({ key, metrics }) => [`${key.tenant} ${key.day}`, metrics]));
const entry = (at: number, s = 5) => ({ s, t: 2, n: [1, 1, 1, 0], p: 0, at, rt: 'sms', q: `SMSID=x&SendStatus=${s}` });
const head = (inline: Record<string, unknown>) => ({ pk: 'T#acme#M#x', sk: '#', kind: 'esms', tenant: 'acme', smsId: 'x', typeId: 2, route: 'sms', firstSeen: AT, lastSeen: AT, ...inline });

describe('usage contributions', () => {
  it('a new head counts one message on its report day and its inline callbacks on the days they were received', () => {
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: head({ 'c#7#a': entry(AT, 7) }) }))).toEqual({ 'acme 2026-11-30': { messages: 1, callbacks: 1 } });
    // A second callback the next day: one callback on that day, the message still one.
    const before = head({ 'c#7#a': entry(AT, 7) });
    expect(usageOf(counterDelta({ oldImage: before, newImage: { ...before, 'c#5#b': entry(NEXT_DAY) } }))).toEqual({ 'acme 2026-12-01': { callbacks: 1 } });
  });

  it('a callback item counts one callback; rewritten (an erasure re-keys it) it nets to zero', () => {
    const item = { pk: 'T#acme#M#x', sk: 'C#0901#5#b', kind: 'esms-cb', tenant: 'acme', smsId: 'x', id: '5#b', ...entry(AT), ph: '0901' };
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: item }))).toEqual({ 'acme 2026-11-30': { callbacks: 1 } });
    expect(usageOf(counterDelta({ oldImage: item, newImage: { ...item, ph: 'erased' } }))).toEqual({});
  });

  it('a rejected request, a Zalo event and a delivery attempt count on their own day; a replay marking a rejected item changes nothing', () => {
    const rejected = { pk: 'T#acme#REJ#2026-11-30', sk: 'x', kind: 'rejected', tenant: 'acme', source: 'esms', route: 'sms', status: 400, field: 'SMSID', reason: 'r', raw: '', receivedAt: AT };
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: rejected }))).toEqual({ 'acme 2026-11-30': { rejected: 1 } });
    expect(usageOf(counterDelta({ oldImage: rejected, newImage: { ...rejected, replayedAt: NEXT_DAY } }))).toEqual({});
    const zalo = { pk: 'T#acme#ZEV#oa#2026-12-01', sk: 'E#k', kind: 'zalo', tenant: 'acme', family: 'follow', eventName: 'follow', appId: 'a', oaId: 'oa', eventTime: NEXT_DAY, receivedAt: NEXT_DAY, raw: '{}' };
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: zalo }))).toEqual({ 'acme 2026-12-01': { zaloEvents: 1 } });
    const attempt = { pk: 'T#acme#DEST#dst_1#ATT', sk: 's', kind: 'destination-attempt', eventId: 'e', type: 't', at: AT, attempt: 1, durationMs: 5, ok: true };
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: attempt }))).toEqual({ 'acme 2026-11-30': { deliveries: 1 } });
  });

  it('items of other kinds count nothing', () => {
    expect(usageOf(counterDelta({ oldImage: undefined, newImage: { pk: 'T#acme#P#84901', sk: 'M#x', kind: 'esms-ph', tenant: 'acme' } }))).toEqual({});
  });
});

describe('the month', () => {
  it('has its calendar days, February of a leap year included', () => {
    expect(daysOfMonth('2026-12')).toHaveLength(31);
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
    expect(daysOfMonth('2026-04')[0]).toBe('2026-04-01');
  });
});
