import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../lib/destinations/events';
import { buildFanOut } from '../../lib/destinations/fan-out';
import type { Destination } from '../../lib/destinations/ports';

const destination = (tenant: string, id: string, enabled: boolean): Destination =>
  ({ tenant, id, url: 'https://example.com/hook', enabled, secret: 'sealed', createdAt: 0, updatedAt: 0 });

const setup = (lists: Record<string, Destination[]>) => {
  const logged: Array<[string, string]> = [];
  const queued: Array<[string, string]> = [];
  const reads: string[] = [];
  const publish = buildFanOut({
    events: { add: async (tenant, events) => { logged.push(...events.map((event): [string, string] => [tenant, event.id])); } },
    destinations: async (tenant) => { reads.push(tenant); return lists[tenant] ?? []; },
    enqueue: async (tasks) => { queued.push(...tasks.map(({ task }): [string, string] => [task.destination, task.event.id])); },
    now: () => 0,
    cacheMs: 10_000,
  });
  return { publish, logged, queued, reads };
};

const event = (id: string) => makeEvent(id, 'esms.message.updated', 0, { smsId: id, version: 1 });

describe('publishing derived events', () => {
  it('a tenant without a destination pays nothing: no log item, no delivery', async () => {
    const { publish, logged, queued } = setup({});
    expect(await publish([{ tenant: 'quiet', event: event('evt_1') }])).toEqual({ logged: 0, queued: 0 });
    expect([logged, queued]).toEqual([[], []]);
  });

  it('a tenant whose only destination is disabled logs its events (a replay recovers them) and queues none', async () => {
    const { publish, logged, queued } = setup({ acme: [destination('acme', 'dst_off', false)] });
    expect(await publish([{ tenant: 'acme', event: event('evt_1') }])).toEqual({ logged: 1, queued: 0 });
    expect([logged, queued]).toEqual([[['acme', 'evt_1']], []]);
  });

  it('each enabled destination of the event\'s own tenant gets it once; the list is read once per cache period', async () => {
    const { publish, queued, reads } = setup({ acme: [destination('acme', 'dst_a', true), destination('acme', 'dst_off', false)], beta: [destination('beta', 'dst_b', true)] });
    await publish([{ tenant: 'acme', event: event('evt_1') }, { tenant: 'beta', event: event('evt_2') }]);
    await publish([{ tenant: 'acme', event: event('evt_3') }]);
    expect(queued).toEqual([['dst_a', 'evt_1'], ['dst_b', 'evt_2'], ['dst_a', 'evt_3']]);
    expect(reads).toEqual(['acme', 'beta']);
  });
});
