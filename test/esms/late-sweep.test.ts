/** The hourly late-report sweep over every tenant (lib/esms/late-sweep.ts), with an in-memory store. */
import { describe, expect, it } from 'vitest';
import { sweepEveryTenant } from '../../lib/esms/late-sweep';
import type { MetricName } from '../../lib/observability/metric-names';
import type { StoredHead } from '../../lib/table/esms';
import { vietnamDay } from '../../lib/time';

const HOUR = 3600_000;
const NOW = Date.parse('2026-06-10T05:00:00Z');

const head = (tenant: string, smsId: string, status: 1 | 2 | 4 | 5 | 7, firstSeen: number): StoredHead => ({
  pk: `T#${tenant}#M#${smsId}`, sk: '#', kind: 'esms', tenant, smsId, typeId: 2, route: 'sms', firstSeen, lastSeen: firstSeen,
  inline: [{ id: 'c1', entry: { s: status, t: 2, n: [1, 1, 0, 0], p: 0, at: firstSeen, rt: 'sms', q: `SMSID=${smsId}` } }],
});

describe('sweepEveryTenant', () => {
  it('expires each tenant\'s messages past LATE_REPORT_HOURS without a final status, counting MessagesExpired per tenant', async () => {
    const late = NOW - 80 * HOUR;
    const heads: Record<string, StoredHead[]> = {
      default: [head('default', 'a', 7, late), head('default', 'b', 5, late)],
      acme: [head('acme', 'c', 2, late)],
    };
    const expired: string[] = [];
    const counts: Array<[MetricName, number | undefined]> = [];
    const lines: Array<Record<string, unknown>> = [];
    const results = await sweepEveryTenant({
      tenants: ['default', 'acme', 'beta'],
      store: {
        headsOfDay: async (tenant, day, _limit, _cursor, seenBetween) => ({
          heads: (heads[tenant] ?? []).filter((h) => vietnamDay(h.firstSeen) === day && h.firstSeen >= seenBetween![0] && h.firstSeen <= seenBetween![1]),
          next: undefined,
        }),
        expire: async (tenant, smsId) => {
          expired.push(`${tenant}/${smsId}`);
          return true;
        },
      },
      now: () => NOW,
      lateHours: 72,
      telemetry: { count: (name, _dims, value) => counts.push([name, value]) },
      log: { info: (_message, fields = {}) => lines.push(fields) },
    });
    expect(expired).toEqual(['default/a', 'acme/c']);
    expect(results).toEqual({ default: { checked: 2, expired: 1 }, acme: { checked: 1, expired: 1 }, beta: { checked: 0, expired: 0 } });
    expect(counts).toEqual([['MessagesExpired', 1], ['MessagesExpired', 1], ['MessagesExpired', 0]]);
    expect(lines.map((fields) => fields.tenant)).toEqual(['default', 'acme', 'beta']);
  });
});
