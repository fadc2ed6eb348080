/** GET /api/esms/messages?day=…: 1,000 messages of a day, newest first, paged with nothing skipped or repeated, and filtered. */
import { describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { vietnamDay } from '../../lib/time';
import { useStack } from '../support/stack';
import { ids, newestFirst, searchSteps } from './search-support';

const stack = useStack();
const { sendAllOf, allPages } = searchSteps(stack);

describe('search by day', () => {
  it('lists 1,000 messages of a day newest first across pages with nothing skipped or repeated, and filters them', async () => {
    const day = vietnamDay(Date.now());
    const before = (await allPages(`day=${day}`, 1000)).messages.length;
    const prefix = `day-${Date.now()}-`;
    const planned = Array.from({ length: 1000 }, (_, i) => {
      const zns = i % 5 === 0;
      const status = i % 7 === 0 ? 4 : 5;
      return {
        smsId: `${prefix}${String(i).padStart(4, '0')}`, zns, status,
        route: zns ? 'zns' : 'sms',
        query: callbackQuery({ smsId: `${prefix}${String(i).padStart(4, '0')}`, typeId: zns ? 25 : 2, status, sent: 1, success: status === 5 ? 1 : 0, phone: `0988${String(i).padStart(6, '0')}`, ...(zns && { oa: i % 10 === 0 ? 'oa-a' : 'oa-b', template: 'tpl-1' }) }),
      };
    });
    await sendAllOf(planned);
    const { messages, pages } = await allPages(`day=${day}`, 40);
    expect(pages).toBeGreaterThanOrEqual(25);
    expect(new Set(ids(messages)).size).toBe(messages.length);
    expect(messages.length).toBe(before + 1000);
    expect(ids(messages).filter((id) => id.startsWith(prefix)).sort()).toEqual(planned.map((p) => p.smsId));
    expect(newestFirst(messages)).toBe(true);

    const wanted = planned.filter((p) => p.zns && p.status === 5).map((p) => p.smsId).sort();
    const filtered = await allPages(`day=${day}&channel=25&status=5&template=tpl-1`, 60);
    expect(ids(filtered.messages).filter((id) => id.startsWith(prefix)).sort()).toEqual(wanted);
    expect(new Set(ids(filtered.messages)).size).toBe(filtered.messages.length);
    expect(newestFirst(filtered.messages)).toBe(true);
    const oa = await allPages(`day=${day}&oa=oa-a&status=4`, 100);
    expect(ids(oa.messages).sort()).toEqual(planned.filter((p) => p.zns && p.query.includes('oaid=oa-a') && p.status === 4).map((p) => p.smsId).sort());
  }, 300_000);
});

