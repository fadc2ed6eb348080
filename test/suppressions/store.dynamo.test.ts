/**
 * The suppressions store on DynamoDB Local (lib/store/suppressions.ts): a stale change never overrides a
 * newer one (the conditional write on the order), a list walks every bucket page by page with nothing
 * skipped or repeated (tombstones left out), a hand-made clear, an erasure mark that stops a late write,
 * and the erasure of a phone removing its item.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { erasedPhone } from '../../lib/esms/erasure';
import { buildSuppressionEraser, buildSuppressionStore, buildSuppressionWriter } from '../../lib/store/suppressions';
import type { SuppressionChange } from '../../lib/suppressions/ports';
import { erasureMarkKey } from '../../lib/table/esms';
import { suppressionOrder } from '../../lib/table/suppressions';
import { useTables } from '../support/tables';

const { names, doc } = useTables();
const writer = buildSuppressionWriter(doc, names.Messages);
const store = buildSuppressionStore(doc, names.Messages);
const AT = Date.parse('2026-12-01T10:00:00+07:00');

const change = (tenant: string, subject: string, suppress: boolean, at: number, extra: Partial<SuppressionChange> = {}): SuppressionChange => ({
  tenant, subject, subjectType: 'phone', suppress, order: suppressionOrder(at, suppress ? 1 : 0), at, source: 'esms', sequenceNumber: String(at),
  ...(suppress && { code: -118, reason: 'Zalo account does not exist or is deactivated' }), ...extra,
});

describe('order', () => {
  it('a stale suppression arriving after a newer clear does not set it; a stale clear after a newer suppression does not clear it', async () => {
    expect(await writer.apply(change('ord', '84900000001', false, AT + 10))).toBe(true);
    expect(await writer.apply(change('ord', '84900000001', true, AT))).toBe(false);
    expect((await store.get('ord', '84900000001'))?.suppressed).toBe(false);

    expect(await writer.apply(change('ord', '84900000002', true, AT + 10, { smsId: 'newer' }))).toBe(true);
    expect(await writer.apply(change('ord', '84900000002', false, AT))).toBe(false);
    expect(await store.get('ord', '84900000002')).toMatchObject({ suppressed: true, smsId: 'newer', code: -118, at: AT + 10 });
    // A redelivered record (same order): refused, nothing changes.
    expect(await writer.apply(change('ord', '84900000002', true, AT + 10, { smsId: 'newer' }))).toBe(false);
    // A newer clear wins, and leaves a tombstone without the suppression's fields.
    expect(await writer.apply(change('ord', '84900000002', false, AT + 20, { msgId: 'm1' }))).toBe(true);
    const cleared = await store.get('ord', '84900000002');
    expect(cleared).toMatchObject({ suppressed: false, msgId: 'm1', at: AT + 20 });
    expect(cleared?.code).toBeUndefined();
    expect(cleared?.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('paging', () => {
  it('walks every page of 140 suppressions over the 16 buckets (28 cleared ones, tombstones, left out), nothing skipped or repeated, whatever the limit', async () => {
    const subjects = Array.from({ length: 140 }, (_, i) => `8491${String(i).padStart(7, '0')}`);
    for (const [i, subject] of subjects.entries()) await writer.apply(change('pages', subject, true, AT + i));
    const cleared = subjects.filter((_, i) => i % 10 === 3 || i % 10 === 7);
    for (const subject of cleared) await writer.apply(change('pages', subject, false, AT + 1000));
    const expected = subjects.filter((s) => !cleared.includes(s)).sort();
    for (const limit of [1, 7, 100, 1000]) {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('pages', limit, next);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((item) => item.subject));
        next = page.next;
        pages += 1;
      } while (next !== undefined && pages < 500);
      expect(seen.length, `limit ${limit}`).toBe(expected.length);
      expect([...seen].sort(), `limit ${limit}`).toEqual(expected);
      expect(seen.every((s) => !cleared.includes(s))).toBe(true);
    }
  });

  it('another tenant\'s cursor cannot reach this tenant: lists are per tenant', async () => {
    expect((await store.list('nobody', 100, undefined)).items).toEqual([]);
  });
});

describe('clearing by hand, erasure', () => {
  it('clears a suppressed subject once (404 the second time); a newer outcome suppresses again', async () => {
    await writer.apply(change('hand', '84900000010', true, AT));
    expect(await store.clear('hand', '84900000010', AT + 5)).toBe(true);
    expect(await store.clear('hand', '84900000010', AT + 6)).toBe(false);
    expect(await store.get('hand', '84900000010')).toMatchObject({ suppressed: false, source: 'manual' });
    expect(await writer.apply(change('hand', '84900000010', true, AT + 3))).toBe(false);
    expect(await writer.apply(change('hand', '84900000010', true, AT + 7))).toBe(true);
  });

  it('an erasure mark at or after the outcome stops the write; the eraser deletes the item', async () => {
    await doc.send(new PutCommand({ TableName: names.Messages, Item: { ...erasureMarkKey('erase', '84900000020'), kind: 'esms-em', at: AT + 100 } }));
    expect(await writer.apply(change('erase', '84900000020', true, AT))).toBe(false);
    expect(await store.get('erase', '84900000020')).toBeUndefined();
    await writer.apply(change('erase', '84900000021', true, AT));
    const budget = { started: Date.now(), deadline: Date.now() + 10_000, now: Date.now };
    expect(await buildSuppressionEraser(doc, names.Messages).erase('erase', erasedPhone('84900000021'), budget, undefined)).toEqual({ changed: 1, complete: true });
    expect(await store.get('erase', '84900000021')).toBeUndefined();
  });
});
