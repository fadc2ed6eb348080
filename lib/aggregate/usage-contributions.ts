/**
 * Usage counted per tenant and Vietnam day (`GET /api/usage`; docs/decisions.md, "Usage"): one counter item
 * per tenant and day (scope `usage`, no dimensions) in the counters table, from the same stream as the
 * report counters, never on the callback path:
 * - `callbacks`: distinct eSMS callbacks stored: a head's inline callbacks (each on the day it was received)
 *   and each callback item of its own;
 * - `rejected`: the rejected log's items (malformed callbacks and unparsed Zalo events), on their receive day;
 * - `deliveries`: event destination delivery attempts, on their day;
 * - `messages` (SMSIDs, on their report day, as the report counts them) and `zaloEvents` (stored Zalo events,
 *   on their event's day), so a month is one item per day.
 * A contribution is what an item holds, so a rewrite (an erasure re-keying a callback item, a replay marking
 * a rejected item) nets to zero and a TTL expiry keeps it (lib/aws/stream-records.ts).
 */
import { currentState, messageTotals } from '../esms/state';
import { INLINE_PREFIX, readHead } from '../table/esms';
import { DEFAULT_TENANT, KIND } from '../table/names';
import { ATTEMPT_KIND } from '../table/destinations';
import { vietnamDay } from '../time';
import type { Contribution } from '../table/counters';

const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const tenantOf = (item: Record<string, unknown>): string | undefined =>
  (typeof item.tenant === 'string' && item.tenant !== '' ? item.tenant : /^T#([^#]+)#/.exec(String(item.pk ?? ''))?.[1]);

const usage = (tenant: string, at: number, metrics: Record<string, number>): Contribution =>
  ({ key: { tenant, scope: 'usage', day: vietnamDay(at), dims: {} }, metrics });

export const usageContributionsOf = (item: Record<string, unknown> | undefined): Contribution[] => {
  if (!item) return [];
  const tenant = tenantOf(item);
  if (tenant === undefined) return [];
  switch (item.kind) {
    case KIND.esms: {
      const byDay = new Map<string, { at: number; count: number }>();
      for (const [name, value] of Object.entries(item)) {
        const at = name.startsWith(INLINE_PREFIX) ? number((value as { at?: unknown } | null)?.at) : undefined;
        if (at === undefined) continue;
        const day = vietnamDay(at);
        byDay.set(day, { at, count: (byDay.get(day)?.count ?? 0) + 1 });
      }
      const head = readHead(item);
      const messages = currentState(head) ? [usage(tenant, head.firstSeen, { messages: messageTotals(head).requests })] : [];
      return [...messages, ...[...byDay.values()].map(({ at, count }) => usage(tenant, at, { callbacks: count }))];
    }
    case KIND.esmsCallback: {
      const at = number(item.at);
      return at === undefined ? [] : [usage(tenant, at, { callbacks: 1 })];
    }
    case KIND.rejected: {
      const at = number(item.receivedAt);
      return at === undefined ? [] : [usage(tenant === '' ? DEFAULT_TENANT : tenant, at, { rejected: 1 })];
    }
    case KIND.zalo: {
      const at = number(item.eventTime);
      return at === undefined ? [] : [usage(tenant, at, { zaloEvents: 1 })];
    }
    case ATTEMPT_KIND: {
      const at = number(item.at);
      return at === undefined ? [] : [usage(tenant, at, { deliveries: 1 })];
    }
    default:
      return [];
  }
};
