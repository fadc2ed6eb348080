/**
 * The alerts derived from stream records (docs/destinations.md), as pure functions:
 * - a reconciliation run's finding inserted (kind `callbacks-lost`, lib/reconcile/schedule.ts) →
 *   `alert.callbacks_lost`, its id a hash of the finding's key (a redelivered record: the same id);
 * - a raw item kept in the rejected log (an unparsed Zalo event, a malformed callback; kind `rejected`) →
 *   `alert.unparsed_events`, at most one per tenant and Vietnam-time hour: the projector claims the hour for the
 *   first item (lib/store/alerts.ts) and only the claimant makes it. Its id is a hash of (tenant, hour), so the
 *   claimant's redelivered record makes the same alert again.
 */
import * as v from 'valibot';
import { KIND } from '../table/names';
import { CALLBACKS_LOST_KIND, CallbacksLostItemSchema, vietnamHour, type CallbacksLostItem } from '../table/destinations';
import { RejectedItemSchema, type RejectedItem } from '../table/rejected';
import { vietnamIso } from '../time';
import type { ChangeRecord } from '../aggregate/ports';
import { eventId, type TenantEvent } from './derive';
import { makeEvent } from './events';

export const insertedFinding = (change: ChangeRecord): CallbacksLostItem | undefined =>
  (change.oldImage === undefined && change.newImage?.kind === CALLBACKS_LOST_KIND ? v.parse(CallbacksLostItemSchema, change.newImage) : undefined);

export const callbacksLostEvent = (item: CallbacksLostItem): TenantEvent => ({
  tenant: item.tenant,
  event: makeEvent(eventId(item.tenant, 'alert', item.pk, item.sk), 'alert.callbacks_lost', item.at, {
    window: { from: vietnamIso(item.from), to: vietnamIso(item.to) },
    checked: item.checked,
    lost: item.lost,
    neverSeen: item.neverSeen,
    lostSmsIds: item.lostSmsIds,
    neverSeenSmsIds: item.neverSeenSmsIds,
  }),
});

/** A raw item kept in the rejected log by this record (not a replay's later mark on it). */
export const insertedRejected = (change: ChangeRecord): RejectedItem & { tenant: string } | undefined => {
  if (change.oldImage !== undefined || change.newImage?.kind !== KIND.rejected) return undefined;
  const item = v.parse(RejectedItemSchema, change.newImage);
  return { ...item, tenant: item.tenant ?? 'default' };
};

/** The hour an item's alert coalesces into. */
export const unparsedHour = (item: RejectedItem): string => vietnamHour(item.receivedAt);

/** The hour's alert, made by the item that claimed the hour: the first kept raw item of it. */
export const unparsedEvent = (item: RejectedItem & { tenant: string }): TenantEvent => {
  const hour = unparsedHour(item);
  return {
    tenant: item.tenant,
    event: makeEvent(eventId(item.tenant, 'alert.unparsed_events', hour), 'alert.unparsed_events', item.receivedAt, {
      hour: `${hour}:00:00+07:00`,
      first: {
        id: item.sk, source: item.source, route: item.route, status: item.status, field: item.field, reason: item.reason, receivedAt: vietnamIso(item.receivedAt),
      },
      list: `/api/rejected?day=${hour.slice(0, 10)}`,
    }),
  };
};
