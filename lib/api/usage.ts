/**
 * GET /api/usage?month=YYYY-MM: a tenant's Vietnam-time month from its usage counters (one item per day:
 * lib/aggregate/usage-contributions.ts), `{callbacks, duplicates, rejected, zaloEvents, messages,
 * deliveries}`; the admin key without `tenant=` gets every tenant's, one row each.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { DEFAULT_TENANT } from '../table/names';
import { runInLanes } from '../lanes';
import { daysBetween, vietnamDay } from '../time';
import type { UsageReader } from '../usage/ports';
import type { Caller } from './read-api';

/** Tenants read at once for the admin's every-tenant month (each is 3 BatchGetItems): 1,000 tenants in about 375 rounds. */
export const USAGE_TENANT_LANES = 8;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Every Vietnam day of `month` (YYYY-MM). */
export const daysOfMonth = (month: string): string[] => {
  const [, year, number] = MONTH.exec(month)!;
  const last = new Date(Date.UTC(Number(year), Number(number), 0)).getUTCDate();
  return daysBetween(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`);
};

export const monthParam = (event: APIGatewayProxyEventV2, now: number): string => {
  const month = event.queryStringParameters?.month ?? vietnamDay(now).slice(0, 7);
  if (!MONTH.test(month)) throw new RequestError(400, 'month', `month must be YYYY-MM, got ${JSON.stringify(month.slice(0, 20))}`);
  return month;
};

export const usageRoute = (deps: { usage: UsageReader; tenantIds: () => Promise<string[]>; now: () => number }) =>
  async (event: APIGatewayProxyEventV2, caller: Caller) => {
    const month = monthParam(event, deps.now());
    const days = daysOfMonth(month);
    if (!caller.everyTenant) return { month, tenant: caller.tenant, usage: await deps.usage.sum(caller.tenant, days) };
    const ids = [...new Set([DEFAULT_TENANT, ...(await deps.tenantIds())])].sort();
    const sums = await runInLanes(ids, USAGE_TENANT_LANES, (tenant) => deps.usage.sum(tenant, days));
    const failed = sums.find((sum) => sum.status === 'rejected');
    if (failed) throw failed.reason;
    return { month, tenants: ids.map((tenant, i) => ({ tenant, ...(sums[i] as PromiseFulfilledResult<Awaited<ReturnType<UsageReader['sum']>>>).value })) };
  };
