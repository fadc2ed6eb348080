/** Counter items → report rows (lib/reports/daily.ts), and the report's CSV columns, from the one list of counter metrics. */
import { describe, expect, it } from 'vitest';
import { REPORT_CSV_COLUMNS } from '../../lib/api/reports';
import { buildDailyReport, REPORT_METRICS } from '../../lib/reports/daily';
import { ESMS_COUNTER_METRICS } from '../../lib/table/counters';

const counter = (metrics: Record<string, number>, dims: Record<string, string> = { channel: '2' }) => ({ scope: 'esms', day: '2026-06-01', dims, ...metrics });

describe('buildDailyReport', () => {
  it('sums every eSMS counter metric of lib/table/counters.ts into its row, the price in VND', () => {
    const items = ESMS_COUNTER_METRICS.map((metric, index) => counter({ [metric]: (index + 1) * 10_000 }));
    const [row] = buildDailyReport(items, 'channel').rows;
    expect(Object.fromEntries(REPORT_METRICS.map((metric) => [metric, row![metric]]))).toEqual({
      requests: 10_000, receivers: 20_000, sent: 30_000, success: 40_000, failed: 50_000, price: 6,
    });
    expect(row).toMatchObject({ day: '2026-06-01', group: '2', label: 'sms_cskh' });
  });

  it('leaves out a group whose counters net to zero', () => {
    expect(buildDailyReport([counter({ requests: 0, receivers: 0 })], 'channel').rows).toEqual([]);
  });
});

describe('the report\'s metrics and CSV columns', () => {
  it('are the counter metrics in their order, `priceE4` shown as `price`', () => {
    expect(REPORT_METRICS).toEqual([...ESMS_COUNTER_METRICS.filter((metric) => metric !== 'priceE4'), 'price']);
    expect(REPORT_CSV_COLUMNS).toEqual(['day', 'group', 'label', ...REPORT_METRICS]);
  });
});
