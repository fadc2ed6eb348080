/**
 * The drain on the real registry table (DynamoDB Local): kept requests come out in arrival order whatever
 * order they were written in, across pages; a run out of time answers `incomplete` and a rerun goes on; a
 * run that fails between ingesting a page and settling it is rerun without counting anything twice. And the
 * keeping side: concurrent requests of one pending app stop exactly at the cap.
 */
import { describe, expect, it } from 'vitest';
import { RequestError, StorageUnavailableError } from '../../lib/errors';
import { buildPendingZaloStore } from '../../lib/store/pending-zalo';
import { buildRegistryStore } from '../../lib/store/registry';
import { drainPendingApp, type DrainDeps } from '../../lib/tenants/drain';
import { documentClient, useStack } from '../support/stack';

const stack = useStack({ aggregator: false });
const stores = () => {
  const doc = documentClient(stack().endpoint);
  return { registry: buildRegistryStore(doc, stack().tables.Registry), pending: buildPendingZaloStore(doc, stack().tables.Registry, { cap: 10_000, ttlSeconds: 3600 }) };
};

/** Keeps `count` requests whose arrival times are a shuffled 0..count-1 (ms after `base`); body = arrival index. */
const keepShuffled = async (appId: string, count: number, base: number) => {
  const { registry, pending } = stores();
  await registry.putZaloApp({ appId, tenant: 'acme', now: base });
  const order = Array.from({ length: count }, (_, i) => i).sort(() => Math.random() - 0.5);
  const app = { appId, tenant: 'acme', secret: undefined };
  for (const i of order) expect(await pending.keep(app, { raw: String(i), headers: {}, receivedAt: base + i })).toEqual({ kept: true, pending: true });
  await registry.putZaloApp({ appId, tenant: 'acme', oaSecretKey: 'sealed', now: base });
};

const deps = (overrides: Partial<DrainDeps> & Pick<DrainDeps, 'ingest'>): DrainDeps => {
  const { registry, pending } = stores();
  return {
    pending,
    app: (id) => registry.getZaloApp(id),
    // Odd arrival indexes are "forged".
    verify: (request) => {
      if (Number(request.raw) % 2 === 1) throw new RequestError(401, 'X-ZEvent-Signature', 'forged');
    },
    outOfTime: () => false,
    ...overrides,
  };
};

describe('draining a pending app', () => {
  it('ingests the valid requests in arrival order across pages (120 kept in shuffled order, pages of 25)', async () => {
    await keepShuffled('7000000000000000001', 120, Date.now());
    const seen: number[] = [];
    const result = await drainPendingApp(deps({
      verify: () => undefined,
      ingest: async (request) => { seen.push(Number(request.raw)); },
    }), '7000000000000000001', 'key');
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(result).toEqual({ ingested: 120, discarded: 0, incomplete: false });
  });

  it('discards what fails verification and ingests the rest (50 kept, odd ones forged)', async () => {
    await keepShuffled('7000000000000000004', 50, Date.now());
    const seen: number[] = [];
    const result = await drainPendingApp(deps({ ingest: async (request) => { seen.push(Number(request.raw)); } }), '7000000000000000004', 'key');
    expect(result).toEqual({ ingested: 25, discarded: 25, incomplete: false });
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
  });

  it('stops when out of time (incomplete) and a rerun goes on from where it stopped', async () => {
    await keepShuffled('7000000000000000002', 60, Date.now());
    const seen: number[] = [];
    let pages = 0;
    const first = await drainPendingApp(deps({ verify: () => undefined, ingest: async (request) => { seen.push(Number(request.raw)); }, outOfTime: () => pages++ >= 1 }), '7000000000000000002', 'key');
    expect(first).toEqual({ ingested: 25, discarded: 0, incomplete: true });
    const second = await drainPendingApp(deps({ verify: () => undefined, ingest: async (request) => { seen.push(Number(request.raw)); } }), '7000000000000000002', 'key');
    expect(second).toEqual({ ingested: 60, discarded: 0, incomplete: false });
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('concurrent requests of one pending app: exactly the cap is kept, the rest answered kept:false, and a key set meanwhile stops keeping', async () => {
    const doc = documentClient(stack().endpoint);
    const registry = buildRegistryStore(doc, stack().tables.Registry);
    // One source network may take all of the cap here: this is about the cap under concurrency (shares: pending-sources.dynamo.test.ts).
    const pending = buildPendingZaloStore(doc, stack().tables.Registry, { cap: 20, ttlSeconds: 3600, perSource: 20 });
    await registry.putZaloApp({ appId: '7000000000000000005', tenant: 'acme', now: Date.now() });
    const app = { appId: '7000000000000000005', tenant: 'acme', secret: undefined };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => pending.keep(app, { raw: String(i), headers: {}, receivedAt: Date.now() })));
    expect(answers.filter((answer) => answer.kept)).toHaveLength(20);
    expect(answers.filter((answer) => !answer.kept && answer.pending)).toHaveLength(10);
    expect(await pending.oldest('7000000000000000005', 100)).toHaveLength(20);
    expect((await registry.getZaloApp('7000000000000000005'))!.pendingKept).toBe(20);
    await registry.putZaloApp({ appId: '7000000000000000006', tenant: 'acme', now: Date.now() });
    await registry.putZaloApp({ appId: '7000000000000000006', tenant: 'acme', oaSecretKey: 'sealed', now: Date.now() });
    expect(await pending.keep({ ...app, appId: '7000000000000000006' }, { raw: 'late', headers: {}, receivedAt: Date.now() })).toEqual({ kept: false, pending: false });
  });

  it('a failure after ingesting part of a page leaves it kept; the rerun re-ingests it (storage dedups) and counts each once', async () => {
    await keepShuffled('7000000000000000003', 30, Date.now());
    const stored = new Set<number>();
    let calls = 0;
    const failing = deps({
      verify: () => undefined,
      ingest: async (request) => {
        calls += 1;
        if (calls === 10) throw new StorageUnavailableError(new Error('down'));
        stored.add(Number(request.raw));
      },
    });
    await expect(drainPendingApp(failing, '7000000000000000003', 'key')).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await stores().pending.oldest('7000000000000000003', 100)).toHaveLength(30);
    const result = await drainPendingApp(deps({ verify: () => undefined, ingest: async (request) => { stored.add(Number(request.raw)); } }), '7000000000000000003', 'key');
    expect(result).toEqual({ ingested: 30, discarded: 0, incomplete: false });
    expect(stored.size).toBe(30);
  });
});
