/**
 * The largest realistic batch through the real local stack, laid out as on AWS: one SMSID whose recipients
 * fill as many batch shards as a 10,000-recipient batch does (2,000 recipients at 51 a shard, as 10,000 at
 * the default 256: 64 shards; `npm run capacity` runs the 100,000-recipient layout). Every recipient's
 * delivered callback (each carrying the batch's totals, as eSMS sends them) and a late pending callback for
 * some of them arriving after. One request and every receiver in the report, every callback kept and listed
 * once, every recipient in the phone index once, and the head item no bigger for it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { sendAll } from '../support/callback-load';
import { scanAll } from '../support/scan-all';
import { documentClient, readApi, TOKEN, useStack } from '../support/stack';

const RECIPIENTS = 2_000;
const LATE_PENDING = 100;
/** A shard's recipients scaled with the batch, so the layout (64 shards) is that of 10,000 at 256 a shard. */
const PER_SHARD = Math.floor((256 * RECIPIENTS) / 10_000);
const stack = useStack({ aggregator: { batchWindowMs: 50 }, env: { BATCH_RECIPIENTS_PER_SHARD: String(PER_SHARD) } });

interface Row { group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
interface MessageAnswer { message: { recipients: Array<{ phone: string | null; history: Array<{ query: string }> }> }; next?: string }

describe('a batch with the shard layout of 10,000 recipients', () => {
  it('counts once with its batch totals, keeps and lists every callback once, and indexes every recipient once', async () => {
    const smsId = `b10k-${randomUUID()}`;
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `09${String(10_000_000 + i * 7).slice(0, 8)}`);
    expect(new Set(phones).size).toBe(RECIPIENTS);
    const final = { smsId, status: 5, receivers: RECIPIENTS, sent: RECIPIENTS, success: RECIPIENTS - 12, failed: 12, price: `${(RECIPIENTS - 12) * 750}.0000`, telco: 1 };
    const delivered = phones.map((phone) => callbackQuery({ ...final, phone }));
    // eSMS's pending callbacks for a few recipients, late: they carry the totals of their moment (nothing sent yet).
    const late = phones.slice(0, LATE_PENDING).map((phone) => callbackQuery({ smsId, status: 7, receivers: RECIPIENTS, telco: 1, phone }));
    const statuses = await sendAll(stack().url, TOKEN, [...delivered, ...late].map((query) => ({ route: 'sms', query })));
    expect([...statuses]).toEqual([[200, RECIPIENTS + LATE_PENDING]]);
    await stack().poller!.drain();

    const day = vietnamDay(Date.now());
    const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&by=channel`);
    expect(report.body.rows.map(({ requests, receivers, sent, success, failed, price }) => ({ requests, receivers, sent, success, failed, price })))
      .toEqual([{ requests: 1, receivers: RECIPIENTS, sent: RECIPIENTS, success: RECIPIENTS - 12, failed: 12, price: (RECIPIENTS - 12) * 750 }]);

    // Every distinct callback listed once across the message's pages (the listing never stops at one page).
    const listed: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const answer = await readApi<MessageAnswer>(stack(), `/api/esms/messages/${smsId}?limit=500${next ? `&next=${next}` : ''}`);
      expect(answer.status).toBe(200);
      listed.push(...answer.body.message.recipients.flatMap((recipient) => recipient.history.map((entry) => entry.query)));
      next = answer.body.next;
      pages += 1;
    } while (next);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil((RECIPIENTS + LATE_PENDING) / 500));
    expect(listed).toHaveLength(RECIPIENTS + LATE_PENDING);
    expect(new Set(listed)).toEqual(new Set([...delivered, ...late]));

    const doc = documentClient(stack().endpoint);
    const items = await scanAll(doc, stack().tables.Messages);
    doc.destroy();
    const index = items.filter((item) => item.kind === 'esms-ph' && item.smsId === smsId).map((item) => String(item.pk));
    expect(index).toHaveLength(RECIPIENTS);
    expect(new Set(index)).toEqual(new Set(phones.map((phone) => `T#default#P#84${phone.slice(1)}`)));
    // Laid out as a 10,000-recipient batch is on AWS: its callbacks spread over 64 shard partitions (40 rounded up to a power of two).
    const partitions = new Set(items.filter((item) => item.kind === 'esms-cb' && item.smsId === smsId).map((item) => String(item.pk)));
    expect(partitions.size).toBe(64);
    // The head holds the batch's summary, not its recipients: it stays a one-unit write however large the batch.
    const head = items.find((item) => item.kind === 'esms' && item.smsId === smsId)!;
    expect(JSON.stringify(head).length).toBeLessThan(1024);
  }, 900_000);
});
