/** The destinations routes (lib/api/destinations.ts) in process, over in-memory ports and the real sealing. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  createDestination, getDestination, listDestinations, patchDestination, replayWindow, rotateSecret, sendTestEvent, type DestinationsDeps,
} from '../../lib/api/destinations';
import type { RawAnswer } from '../../lib/api/csv';
import { makeEvent } from '../../lib/destinations/events';
import type { Destination, DestinationStore, EnqueueDeliveries } from '../../lib/destinations/ports';
import { RequestError } from '../../lib/errors';
import { LOCAL_DEV_TOKEN_KEY, open, seal, tokenKey } from '../../lib/seal';
import { destinationSealContext } from '../../lib/table/destinations';

const key = tokenKey(LOCAL_DEV_TOKEN_KEY);
const NOW = Date.parse('2026-12-01T03:00:00Z');

const setup = () => {
  const rows = new Map<string, Destination>();
  const k = (tenant: string, id: string) => `${tenant}/${id}`;
  const store: DestinationStore = {
    create: async (d) => { rows.set(k(d.tenant, d.id), d); },
    list: async (tenant) => [...rows.values()].filter((d) => d.tenant === tenant),
    get: async (tenant, id) => rows.get(k(tenant, id)),
    update: async (tenant, id, changes) => {
      const d = rows.get(k(tenant, id));
      if (!d) return undefined;
      const next = { ...d, ...changes } as Destination;
      for (const [name, value] of Object.entries(changes)) if (value === undefined) delete (next as unknown as Record<string, unknown>)[name];
      rows.set(k(tenant, id), next);
      return next;
    },
    remove: async (tenant, id) => rows.delete(k(tenant, id)),
    addAttempt: async () => {},
    attempts: async () => ({ items: [] }),
  };
  const queued: Parameters<EnqueueDeliveries>[0][number][] = [];
  let n = 0;
  const logged = [makeEvent('evt_a', 'esms.message.updated', NOW - 60_000, {}), makeEvent('evt_b', 'esms.recipient.updated', NOW - 30_000, {})];
  const deps: DestinationsDeps = {
    store,
    events: { add: async () => {}, between: async (_t, from, to) => logged.filter((e) => e.at >= from && e.at <= to) },
    enqueue: async (tasks) => { queued.push(...tasks); },
    seal: (text, context) => seal(key, text, context),
    open: (text, context) => open(key, text, context),
    policy: { allowLocal: true },
    resolve: async () => [],
    newId: () => `dst_${String(++n + 1).padStart(20, 'a')}`,
    now: () => NOW,
  };
  return { deps, rows, queued };
};

const request = (body?: unknown, id?: string): APIGatewayProxyEventV2 =>
  ({ body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false, headers: {}, pathParameters: id ? { id } : {}, queryStringParameters: {} }) as unknown as APIGatewayProxyEventV2;
const raw = (answer: unknown) => {
  const { statusCode, body } = (answer as RawAnswer).response;
  return { status: statusCode, body: JSON.parse(String(body)) as Record<string, unknown> };
};

describe('destinations routes', () => {
  it('create answers 201 with the secret once, stores it sealed, and lists without it', async () => {
    const { deps, rows } = setup();
    const created = raw(await createDestination(deps)(request({ url: 'http://127.0.0.1:3009/', events: ['esms.message.updated'] }), { tenant: 'acme' }));
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const stored = rows.get(`acme/${id}`)!;
    expect(stored.secret).not.toContain(secret.slice(6));
    expect(open(key, stored.secret, destinationSealContext('acme', id, 'secret'))).toBe(secret);
    const listed = JSON.stringify(await listDestinations(deps)(request(), { tenant: 'acme' }));
    expect([listed.includes(id), listed.includes('whsec_'), listed.includes(stored.secret)]).toEqual([true, false, false]);
  });

  it('refuses a bad URL or event type with a 400, and another tenant sees a 404', async () => {
    const { deps } = setup();
    await expect(createDestination(deps)(request({ url: 'http://10.0.0.1/' }), { tenant: 'acme' })).rejects.toMatchObject({ status: 400, field: 'url' });
    await expect(createDestination(deps)(request({ url: 'http://127.0.0.1/', events: ['nope'] }), { tenant: 'acme' })).rejects.toBeInstanceOf(RequestError);
    const { id } = raw(await createDestination(deps)(request({ url: 'http://127.0.0.1/' }), { tenant: 'acme' })).body as { id: string };
    await expect(getDestination(deps)(request(undefined, id), { tenant: 'other' })).rejects.toMatchObject({ status: 404 });
  });

  it('rotation keeps the old secret sealed in the previous slot for 24 h', async () => {
    const { deps, rows } = setup();
    const { id, secret } = raw(await createDestination(deps)(request({ url: 'http://127.0.0.1/' }), { tenant: 'acme' })).body as { id: string; secret: string };
    const rotated = await rotateSecret(deps)(request(undefined, id), { tenant: 'acme' });
    const stored = rows.get(`acme/${id}`)!;
    expect(open(key, stored.secret, destinationSealContext('acme', id, 'secret'))).toBe(rotated.secret);
    expect(open(key, stored.previous!, destinationSealContext('acme', id, 'previous'))).toBe(secret);
    expect(stored.previousUntil).toBe(NOW + 86_400_000);
  });

  it('test and replay answer 202 and queue the same ids; a disabled destination is refused', async () => {
    const { deps, queued } = setup();
    const { id } = raw(await createDestination(deps)(request({ url: 'http://127.0.0.1/', events: ['esms.message.updated'] }), { tenant: 'acme' })).body as { id: string };
    expect(raw(await sendTestEvent(deps)(request(undefined, id), { tenant: 'acme' })).status).toBe(202);
    const replay = raw(await replayWindow(deps)(request({ from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW).toISOString() }, id), { tenant: 'acme' }));
    expect([replay.status, replay.body.queued]).toEqual([202, 1]);
    expect(queued.map(({ task }) => [task.event.type, task.replay ?? false])).toEqual([['destination.test', false], ['esms.message.updated', true]]);
    expect(queued[1]!.task.event.id).toBe('evt_a');
    await patchDestination(deps)(request({ enabled: false }, id), { tenant: 'acme' });
    await expect(sendTestEvent(deps)(request(undefined, id), { tenant: 'acme' })).rejects.toMatchObject({ status: 409 });
  });
});
