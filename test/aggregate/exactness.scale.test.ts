import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { runAudit } from '../../infra/tools/audit-run';
import { callbackWorkload, sendAll } from '../support/callback-load';
import { readApi, TOKEN, useStack } from '../support/stack';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });

interface Row { day: string; group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }

describe('stream aggregation is exact on the real local stack', () => {
  it('reports equal the sum of every SMSID\'s winning totals after thousands of duplicated, shuffled callbacks', async () => {
    const { deliveries, expected } = callbackWorkload(500, 20261122, 'ex');
    expect(deliveries.length).toBeGreaterThan(2000);
    const statuses = await sendAll(stack().url, TOKEN, deliveries);
    expect([...statuses.keys()]).toEqual([200]);
    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&to=${day}&by=channel`);
    expect(report.status).toBe(200);
    const actual = Object.fromEntries(report.body.rows.map((row) => [row.group, { requests: row.requests, receivers: row.receivers, sent: row.sent, success: row.success, failed: row.failed, priceE4: Math.round(row.price * 10_000) }]));
    expect(actual).toEqual(Object.fromEntries(expected.byChannel));
    expect(stack().poller!.deadLetters).toEqual([]);
  }, 600_000);

  it('the audit recomputes the same counters from the stored messages and finds no difference', async () => {
    const day = vietnamDay(Date.now());
    const audit = await runAudit({ from: day, to: day, repair: false });
    expect(audit.expectedCounters).toBeGreaterThan(0);
    expect(audit.differences).toEqual([]);
  });

  it('groups the same counters by status: only final statuses remain once every message is final', async () => {
    const day = vietnamDay(Date.now());
    const report = await readApi<{ rows: Row[] }>(stack(), `/api/reports/daily?from=${day}&by=status`);
    expect(report.body.rows.map((row) => row.group).sort()).toEqual(['4', '5']);
    expect(report.body.rows.reduce((sum, row) => sum + row.requests, 0)).toBe(500);
  });
});
