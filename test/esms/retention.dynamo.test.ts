/**
 * Retention of eSMS messages (lib/store/esms-messages.ts `retention`): under a tenant's retention every item
 * a callback writes — head, callback item — and the phone index item the aggregator writes from them carries
 * the table's TTL attribute, counted from when the message was first seen and never moved by later
 * callbacks; a tenant without one keeps them.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import { phonePairsOf } from '../../lib/projector/phone-pairs';
import { buildMessageEraser } from '../../lib/store/esms-erasure';
import { erasedPhone } from '../../lib/esms/erasure';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { buildPhoneIndexWriter } from '../../lib/store/esms-phone-index';
import { TTL_ATTRIBUTE } from '../../lib/table/names';
import { OverflowItemSchema } from '../../lib/table/esms';
import { headAdvances, projectHead } from '../../lib/projector/heads';
import { buildHeadProjection } from '../../lib/store/esms-heads';
import * as v from 'valibot';
import { callbackQuery } from '../support/callback-query';
import { headMaker } from '../support/esms-items';

const makers: Array<Awaited<ReturnType<typeof headMaker>>> = [];
afterAll(() => makers.forEach((maker) => maker.doc.destroy()));

describe('retention', () => {
  it('a tenant with 30 days gets expiresAt on head, callback and index items (first seen + 30 days); another tenant gets none', async () => {
    const maker = await headMaker();
    makers.push(maker);
    const store = buildEsmsStore(maker.doc, maker.table, (tenant) => (tenant === 'acme' ? 30 : undefined));
    const first = Date.parse('2026-11-01T10:00:00+07:00');
    const put = (tenant: string, raw: string, at: number) => store.storeCallback({ tenant, ...parseCallbackWithIdentity(raw), raw, route: 'sms', receivedAt: at });
    for (const tenant of ['acme', 'default']) {
      await put(tenant, callbackQuery({ smsId: 'S1', status: 7, phone: '0901888484' }), first);
      await put(tenant, callbackQuery({ smsId: 'S1', status: 5, sent: 1, success: 1, phone: '0901888484' }), first + 86_400_000);
      await put(tenant, callbackQuery({ smsId: 'B1', status: 5, receivers: 2, sent: 2, success: 2, phone: '0901888485' }), first);
      await put(tenant, callbackQuery({ smsId: 'B1', status: 5, receivers: 2, sent: 2, success: 2, phone: '0901888486' }), first);
    }
    // What the projector does with these items' INSERT records: the batch's head from its callback items,
    // then the index (which copies the source item's TTL).
    const items = (await maker.doc.send(new ScanCommand({ TableName: maker.table }))).Items ?? [];
    const heads = buildHeadProjection(maker.doc, maker.table);
    for (const advance of headAdvances(items.filter((item) => item.kind === 'esms-cb').map((item) => v.parse(OverflowItemSchema, item)))) await projectHead(heads, advance);
    const stored = (await maker.doc.send(new ScanCommand({ TableName: maker.table }))).Items ?? [];
    const writer = buildPhoneIndexWriter(maker.doc, maker.table, buildMessageEraser(maker.doc, maker.table, erasedPhone));
    await writer.index(stored.flatMap((item) => phonePairsOf({ sequenceNumber: '1', oldImage: undefined, newImage: item })));
    const { Items = [] } = await maker.doc.send(new ScanCommand({ TableName: maker.table }));
    const acme = Items.filter((item) => item.tenant === 'acme');
    expect(acme.map((item) => item.kind).sort()).toEqual(['esms', 'esms', 'esms-cb', 'esms-cb', 'esms-ph', 'esms-ph', 'esms-ph']);
    expect(new Set(acme.map((item) => item[TTL_ATTRIBUTE]))).toEqual(new Set([first / 1000 + 30 * 86_400]));
    const others = Items.filter((item) => item.tenant === 'default');
    expect(others).toHaveLength(7);
    expect(others.filter((item) => TTL_ATTRIBUTE in item)).toEqual([]);
  });
});
