/**
 * Erasure reaches the event log (lib/store/event-log-erasure.ts) on DynamoDB Local: a recipient event's body
 * names the phone, and after the eraser no body of the tenant holds it in any spelling; another tenant's log
 * and other numbers are untouched; a call stopped by its budget carries on from its cursor.
 */
import { describe, expect, it } from 'vitest';
import { erasedPhone } from '../../lib/esms/erasure';
import { makeEvent } from '../../lib/destinations/events';
import { buildEventLog } from '../../lib/store/destinations';
import { buildEventLogEraser } from '../../lib/store/event-log-erasure';
import { scanAll } from '../support/scan-all';
import { useTables } from '../support/tables';

const { names, doc } = useTables();

const recipientEvent = (i: number, phone: string, at: number) =>
  makeEvent(`evt_${i}`, 'esms.recipient.updated', at, { smsId: `S${i}`, phone, status: 5, statusName: 'sent' });

describe('erasing a phone from the event log', () => {
  it('rewrites every body of the tenant naming the number, over days and pages, resumably; nothing else changes', async () => {
    const now = Date.now();
    const log = buildEventLog(doc, names.Messages);
    const spellings = ['0901888484', '84901888484', '+84 901 888 484'];
    // 450 events over three days: every third names the number (in one of its spellings), the rest another phone.
    const events = Array.from({ length: 450 }, (_, i) => recipientEvent(i, i % 3 === 0 ? spellings[i % 9 / 3]! : '0912000002', now - (i % 3) * 86_400_000 - i));
    await log.add('acme', events);
    await log.add('beta', [recipientEvent(9999, '0901888484', now)]);

    const eraser = buildEventLogEraser(doc, names.Messages);
    const phone = erasedPhone('84901888484');
    let cursor: string | undefined;
    let changed = 0;
    let calls = 0;
    for (;;) {
      calls += 1;
      // A budget already spent: each call looks at one item, then stops with its cursor.
      const started = Date.now();
      const result = await eraser.erase('acme', phone, { started: now, deadline: calls < 3 ? started : started + 60_000, now: Date.now }, cursor);
      changed += result.changed;
      if (result.complete) break;
      cursor = result.cursor;
    }
    expect(calls).toBe(3);
    expect(changed).toBe(150);

    const items = await scanAll(doc, names.Messages);
    const bodies = (tenant: string) => items.filter((item) => String(item.pk).startsWith(`T#${tenant}#EVT#`)).map((item) => String(item.body));
    expect(bodies('acme')).toHaveLength(450);
    expect(bodies('acme').filter((body) => body.includes('901888484') || body.includes('901 888 484'))).toEqual([]);
    expect(bodies('acme').filter((body) => body.includes('0912000002'))).toHaveLength(300);
    expect(bodies('beta')).toEqual([expect.stringContaining('0901888484')]);
  });
});
