/**
 * Publishing derived events (lib/destinations/derive.ts): each is written to its tenant's event log (the
 * replay's source, the exact body) when the tenant has a destination at all, and queued once for every enabled destination of the tenant whose filter
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

/** A tenant's destinations, read once per `cacheMs`. */
export const buildDestinationsCache = (deps: Pick<FanOutDeps, 'destinations' | 'now' | 'cacheMs'>) => {
  const cache = new Map<string, { at: number; list: Promise<Destination[]> }>();
  const of = (tenant: string): Promise<Destination[]> => {
    const cached = cache.get(tenant);
    if (cached && deps.now() - cached.at < deps.cacheMs) return cached.list;
    const list = deps.destinations(tenant);
    cache.set(tenant, { at: deps.now(), list });
    list.catch(() => cache.delete(tenant));
    return list;
  };
  /**
   * Whether anything of the tenant listens: a destination, enabled or not (a disabled one's events are logged
   * for the replay that recovers them). A tenant without one pays nothing for events: none derived, none logged.
   */
  const listening = async (tenant: string): Promise<boolean> => (await of(tenant)).length > 0;
  return { of, listening };
};

export const buildFanOut = (deps: FanOutDeps, cache = buildDestinationsCache(deps)): PublishEvents => {
  const destinationsOf = cache.of;
  return async (events) => {
    const byTenant = new Map<string, TenantEvent['event'][]>();
    for (const { tenant, event } of events) byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), event]);
    let queued = 0;
    let logged = 0;
    for (const [tenant, list] of byTenant) {
      if (!(await cache.listening(tenant))) continue;
      await deps.events.add(tenant, list);
      logged += list.length;
      const targets = (await destinationsOf(tenant)).filter((destination) => destination.enabled);
      const tasks: Array<{ task: DeliveryTask }> = list.flatMap((event) => targets
        .filter((destination) => wants(destination.events, event.type))
        .map((destination) => ({ task: { tenant, destination: destination.id, event, attempt: 1 } })));
      if (tasks.length > 0) await deps.enqueue(tasks);
      queued += tasks.length;
    }
    return { logged, queued };
  };
};
