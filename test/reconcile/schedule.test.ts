/** Reconciliation as scheduled and reported (lib/reconcile/schedule.ts), over fake runs: no eSMS, no storage. */
import { describe, expect, it } from 'vitest';
import type { MetricName } from '../../lib/observability/metric-names';
import type { EsmsAccount } from '../../lib/reconcile/ports';
import type { ReconcileResult } from '../../lib/reconcile/reconcile';
import { reconcileEveryTenant, reportReconcile, SCHEDULED_LOOKBACK_MS, SCHEDULED_SETTLE_MS, type ReconcileWindow } from '../../lib/reconcile/schedule';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const result = (over: Partial<ReconcileResult> = {}): ReconcileResult => ({ checked: 4, updated: 2, discovered: 0, failed: 1, denied: false, incomplete: false, ...over });

const observed = () => {
  const counts: Array<[MetricName, number | undefined]> = [];
  const lines: Array<[string, string, Record<string, unknown>]> = [];
  return {
    counts, lines,
    observers: {
      telemetry: { count: (name: MetricName, _dims?: unknown, value?: number) => counts.push([name, value]) },
      log: { info: (message: string, fields: Record<string, unknown> = {}) => lines.push(['info', message, fields]), warn: (message: string, fields: Record<string, unknown> = {}) => lines.push(['warn', message, fields]) },
    },
  };
};

describe('reportReconcile', () => {
  it('counts each figure and logs the run at info', () => {
    const { counts, lines, observers } = observed();
    reportReconcile(observers, 'acme', result());
    expect(counts).toEqual([['ReconcileChecked', 4], ['ReconcileUpdated', 2], ['ReconcileDiscovered', 0], ['ReconcileFailed', 1]]);
    expect(lines).toEqual([['info', 'esms reconciliation', { tenant: 'acme', ...result() }]]);
  });

  it('warns and counts ReconcileDenied when eSMS refused the account, and warns when callbacks were lost', () => {
    const denied = observed();
    reportReconcile(denied.observers, 'acme', result({ denied: true }));
    expect(denied.counts.map(([name]) => name)).toContain('ReconcileDenied');
    expect(denied.lines[0]![0]).toBe('warn');
    const lost = observed();
    reportReconcile(lost.observers, 'acme', result({ discovered: 3 }));
    expect(lost.counts.map(([name]) => name)).not.toContain('ReconcileDenied');
    expect(lost.lines[0]![0]).toBe('warn');
  });
});

describe('reconcileEveryTenant', () => {
  it('runs each tenant that has an account over the last 25 hours up to 10 minutes ago, and skips the others', async () => {
    const runs: Array<[string, EsmsAccount, ReconcileWindow]> = [];
    const accounts: Record<string, EsmsAccount> = { default: { apiKey: 'a', secretKey: 'b' }, beta: { apiKey: 'c', secretKey: 'd' } };
    const results = await reconcileEveryTenant({
      tenants: ['default', 'acme', 'beta'],
      account: async (tenant) => accounts[tenant],
      run: async (tenant, account, window) => {
        runs.push([tenant, account, window]);
        return result();
      },
      now: () => NOW,
    });
    expect(Object.keys(results)).toEqual(['default', 'beta']);
    expect(runs.map(([tenant]) => tenant)).toEqual(['default', 'beta']);
    expect(runs[1]).toEqual(['beta', accounts.beta, { fromMs: NOW - 25 * 3600_000, toMs: NOW - 10 * 60_000 }]);
    expect([SCHEDULED_LOOKBACK_MS, SCHEDULED_SETTLE_MS]).toEqual([25 * 3600_000, 10 * 60_000]);
  });
});
