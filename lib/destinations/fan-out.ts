/**
 * Publishing derived events (lib/destinations/derive.ts): each is written to its tenant's event log (the
 * replay's source, the exact body) and queued once for every enabled destination of the tenant whose filter
 * takes its type. A tenant's destinations are read once per `cacheMs` (a destination created or changed
 * meanwhile is seen within that time; the delivery function reads it again before each attempt anyway).
 * Publishing again the same events (a redelivered stream record) writes the same log items and queues the
 * same ids again: delivery is at least once, under one `webhook-id`.
 */
import type { TenantEvent } from './derive';
import { wants, type DeliveryTask } from './events';
import type { Destination, EnqueueDeliveries, EventLog } from './ports';

export interface FanOutDeps {
  events: Pick<EventLog, 'add'>;
  destinations: (tenant: string) => Promise<Destination[]>;
  enqueue: EnqueueDeliveries;
  now: () => number;
  cacheMs: number;
}

export type PublishEvents = (events: readonly TenantEvent[]) => Promise<{ logged: number; queued: number }>;

export const buildFanOut = (deps: FanOutDeps): PublishEvents => {
  const cache = new Map<string, { at: number; list: Promise<Destination[]> }>();
  const destinationsOf = (tenant: string): Promise<Destination[]> => {
    const cached = cache.get(tenant);
    if (cached && deps.now() - cached.at < deps.cacheMs) return cached.list;
    const list = deps.destinations(tenant);
    cache.set(tenant, { at: deps.now(), list });
    list.catch(() => cache.delete(tenant));
    return list;
  };
  return async (events) => {
    const byTenant = new Map<string, TenantEvent['event'][]>();
    for (const { tenant, event } of events) byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), event]);
    let queued = 0;
    for (const [tenant, list] of byTenant) {
      await deps.events.add(tenant, list);
      const targets = (await destinationsOf(tenant)).filter((destination) => destination.enabled);
      const tasks: Array<{ task: DeliveryTask }> = list.flatMap((event) => targets
        .filter((destination) => wants(destination.events, event.type))
        .map((destination) => ({ task: { tenant, destination: destination.id, event, attempt: 1 } })));
      if (tasks.length > 0) await deps.enqueue(tasks);
      queued += tasks.length;
    }
    return { logged: events.length, queued };
  };
};
