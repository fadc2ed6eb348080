/**
 * Zalo events counted per tenant, OA and day: each stored event item (kind `zalo`) is one event of its
 * family, on the Vietnam-time day of the event's own timestamp, in the counters of the tenant that owns the
 * app it came through (items written before tenants carry none: they are the tenant `default`'s). Copies and state items are other kinds and
 * never reach here, and an event item is written once, so a redelivery adds nothing.
 */
import { vietnamDay } from '../time';
import { readZaloItem } from '../table/zalo';
import { DEFAULT_TENANT, KIND } from '../table/names';
import type { Contribution } from '../table/counters';

const NONE = '-';

export const zaloContributions = (item: Record<string, unknown>): Contribution[] => {
  const event = readZaloItem(item);
  if (event.kind !== KIND.zalo) return [];
  return [{
    key: { tenant: event.tenant ?? DEFAULT_TENANT, scope: 'zalo', day: vietnamDay(event.eventTime), dims: { oa: event.oaId ?? NONE, family: event.family } },
    metrics: { events: 1 },
  }];
};
