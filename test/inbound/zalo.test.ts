/**
 * The webhook pipeline with in-memory adapters: which metric each outcome counts, the pending-app answers,
 * that a storage failure answers 503 (so Zalo retries) and that the retry repairs what the failed attempt
 * left half done. The same paths run on DynamoDB Local in webhook.test.ts and tenants.test.ts.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../lib/errors';
import type { MetricName } from '../../lib/observability/metric-names';
import { buildZaloIngest, type ZaloIngestDeps } from '../../lib/inbound/zalo';
import type { PendingZaloRequest, ZaloApp } from '../../lib/zalo/ports';
import type { NewestWins } from '../../lib/zalo/state';
import type { StoredZaloEvent } from '../../lib/table/zalo';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture } from '../support/fixtures';
import { fresh, retimed, signed, type SignedRequest } from '../zalo/sign';

const NOW = Date.parse('2026-06-01T00:00:00Z');

const memory = () => {
  const events = new Map<string, StoredZaloEvent>();
  const applied: NewestWins[] = [];
  const metrics: MetricName[] = [];
  const rejected: unknown[] = [];
  let failState = 0;
  const putOnce = async (item: StoredZaloEvent) => {
    const key = `${item.pk}|${item.sk}`;
    if (events.has(key)) return { duplicate: true, consumedWcu: undefined };
    events.set(key, item);
    return { duplicate: false, consumedWcu: 1 };
  };
  const apps = new Map<string, ZaloApp>([[ZALO_FIXTURE_APP_ID, { appId: ZALO_FIXTURE_APP_ID, tenant: 'default', secret: ZALO_FIXTURE_SECRET }]]);
  const kept: PendingZaloRequest[] = [];
  const revoked: Array<[string, string, number]> = [];
  const pending = { cap: 2, keyArrivesOnKeep: undefined as string | undefined };
  const deps: ZaloIngestDeps = {
    apps: { find: async (appId) => apps.get(appId) },
    pending: {
      keep: async (app, request) => {
        if (pending.keyArrivesOnKeep !== undefined) {
          apps.set(app.appId, { ...app, secret: pending.keyArrivesOnKeep });
          return { kept: false, pending: false };
        }
        if (kept.length >= pending.cap) return { kept: false, pending: true };
        kept.push(request);
        return { kept: true, pending: true };
      },
    },
    revocations: { markRevoked: async (tenant, oaId, at) => { revoked.push([tenant, oaId, at]); return true; } },
    events: { putEvent: putOnce, putCopies: async (items) => (await Promise.all(items.map(putOnce))).length },
    state: {
      apply: async (change) => {
        if (failState-- > 0) throw new StorageUnavailableError(new Error('throttled'));
        applied.push(change);
        return { applied: true, consumedWcu: 1 };
      },
    },
    rejected: { add: async (entry) => void rejected.push(entry) },
    now: () => NOW,
    telemetry: { count: (name) => void metrics.push(name) },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { deps, apps, kept, revoked, pending, events, applied, metrics, rejected, failStateTimes: (n: number) => { failState = n; } };
};

const httpEvent = ({ rawBody, headers }: SignedRequest, base64 = false): APIGatewayProxyEventV2 => ({
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
  body: base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
  isBase64Encoded: base64,
}) as APIGatewayProxyEventV2;

const at = NOW - 60_000;
const body = (answer: { body?: string }) => JSON.parse(answer.body ?? '{}');

describe('Zalo ingest pipeline (in memory)', () => {
  it('counts accepted, duplicate, unparsed (unknown name or unexpected shape, both 200) and signature failures', async () => {
    const { deps, metrics, rejected, events } = memory();
    const ingest = buildZaloIngest(deps);
    const text = fresh(zaloFixture('user_send_text'), at);
    expect((await ingest(httpEvent(text))).statusCode).toBe(200);
    expect(body(await ingest(httpEvent(text)))).toEqual({ ok: true, duplicate: true });
    const stored = events.size;
    const unknown = signed(JSON.stringify({ app_id: ZALO_FIXTURE_APP_ID, event_name: 'brand_new', timestamp: String(at) }));
    expect(body(await ingest(httpEvent(unknown)))).toEqual({ ok: true, duplicate: false, unparsed: true });
    const malformed = signed(retimed(zaloFixture('follow').rawBody, at).replace('"follower":{"id":"5308693166941955879"},', ''));
    expect(body(await ingest(httpEvent(malformed)))).toEqual({ ok: true, duplicate: false, unparsed: true });
    expect(events.size).toBe(stored);
    expect(rejected).toEqual([
      expect.objectContaining({ tenant: 'default', source: 'zalo', status: 200, reason: 'unparsed', field: 'event_name', raw: unknown.rawBody }),
      expect.objectContaining({ tenant: 'default', source: 'zalo', status: 200, reason: 'unparsed', field: 'follower', raw: malformed.rawBody }),
    ]);
    const forged = signed(retimed(zaloFixture('user_send_text').rawBody, at), undefined, 'wrong-key');
    expect((await ingest(httpEvent(forged))).statusCode).toBe(401);
    expect((await ingest(httpEvent({ rawBody: 'not json', headers: {} }))).statusCode).toBe(401);
    expect(metrics).toEqual([
      'ZaloEventAccepted', 'ZaloEventDuplicate', 'ZaloEventUnparsed', 'ZaloEventAccepted', 'ZaloEventUnparsed', 'ZaloEventAccepted', 'SignatureFailure', 'SignatureFailure',
    ]);
  });

  it('an event stored for an app goes under the app\'s tenant', async () => {
    const { deps, apps, events } = memory();
    apps.set(ZALO_FIXTURE_APP_ID, { appId: ZALO_FIXTURE_APP_ID, tenant: 'acme', secret: ZALO_FIXTURE_SECRET });
    expect((await buildZaloIngest(deps)(httpEvent(fresh(zaloFixture('follow'), at)))).statusCode).toBe(200);
    expect([...events.values()].map((item) => [item.tenant, item.pk.split('#').slice(0, 3).join('#')])).toEqual([['acme', 'T#acme#ZEV']]);
  });

  it('permission_revoked marks its OA disconnected under the app\'s tenant, as of the event\'s time, and is stored', async () => {
    const { deps, apps, revoked, events } = memory();
    apps.set(ZALO_FIXTURE_APP_ID, { appId: ZALO_FIXTURE_APP_ID, tenant: 'acme', secret: ZALO_FIXTURE_SECRET });
    const revocation = signed(JSON.stringify({ app_id: ZALO_FIXTURE_APP_ID, oa_id: '1397492183140006179', event_name: 'permission_revoked', timestamp: String(at) }));
    expect(body(await buildZaloIngest(deps)(httpEvent(revocation)))).toEqual({ ok: true, duplicate: false });
    expect(revoked).toEqual([['acme', '1397492183140006179', at]]);
    expect([...events.values()].map((item) => [item.family, item.oaId])).toEqual([['permission_revoked', '1397492183140006179']]);
  });

  describe('an app registered without its OA Secret Key (pending)', () => {
    const pendingApp = (state: ReturnType<typeof memory>) =>
      state.apps.set(ZALO_FIXTURE_APP_ID, { appId: ZALO_FIXTURE_APP_ID, tenant: 'acme', secret: undefined });

    it('keeps the request raw, unverified (forgeries too: they are discarded when the key arrives), answered pending', async () => {
      const state = memory();
      pendingApp(state);
      const ingest = buildZaloIngest(state.deps);
      const forged = signed(retimed(zaloFixture('user_send_text').rawBody, at), undefined, 'wrong-key');
      for (const request of [fresh(zaloFixture('follow'), at), forged]) {
        expect(await ingest(httpEvent(request))).toMatchObject({ statusCode: 200, body: JSON.stringify({ ok: true, pending: true }) });
      }
      expect(state.kept.map((request) => request.raw)).toEqual([retimed(zaloFixture('follow').rawBody, at), forged.rawBody]);
      expect(state.kept[1]!.headers['x-zevent-signature']).toBe(forged.headers['X-ZEvent-Signature']);
      expect(state.events.size).toBe(0);
      expect(state.metrics).toEqual(['ZaloPendingKept', 'ZaloPendingKept']);
    });

    it('past the cap: still 200, kept:false, counted', async () => {
      const state = memory();
      pendingApp(state);
      state.pending.cap = 0;
      const answer = await buildZaloIngest(state.deps)(httpEvent(fresh(zaloFixture('follow'), at)));
      expect(answer).toMatchObject({ statusCode: 200, body: JSON.stringify({ ok: true, pending: true, kept: false }) });
      expect(state.metrics).toEqual(['ZaloPendingDropped']);
    });

    it('the key arrived meanwhile: the request is verified with it and stored', async () => {
      const state = memory();
      pendingApp(state);
      state.pending.keyArrivesOnKeep = ZALO_FIXTURE_SECRET;
      expect(body(await buildZaloIngest(state.deps)(httpEvent(fresh(zaloFixture('follow'), at))))).toEqual({ ok: true, duplicate: false });
      expect([...state.events.values()][0]).toMatchObject({ tenant: 'acme', eventName: 'follow' });
    });
  });

  it('verifies a base64-encoded body on its decoded bytes', async () => {
    const { deps } = memory();
    expect(body(await buildZaloIngest(deps)(httpEvent(fresh(zaloFixture('oa_send_text'), at), true)))).toEqual({ ok: true, duplicate: false });
  });

  it('retries a state write that fails within the budget: the retry stores the event again as a duplicate and applies the state', async () => {
    const { deps, applied, metrics, failStateTimes, events } = memory();
    const ingest = buildZaloIngest({ ...deps, sleep: async () => undefined });
    const follow = fresh(zaloFixture('follow'), at);
    failStateTimes(1);
    expect(body(await ingest(httpEvent(follow)))).toEqual({ ok: true, duplicate: true });
    expect(events.size).toBe(1);
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ kind: 'follower', set: { following: true } });
    expect(metrics).not.toContain('StorageFailure');
  });

  it('keeps a signed event storage cannot take within the budget in the buffer, answered 200; 503 only without a buffer', async () => {
    const { deps, failStateTimes } = memory();
    const kept: unknown[] = [];
    const follow = fresh(zaloFixture('follow'), at);
    failStateTimes(1000);
    const buffered = await buildZaloIngest({ ...deps, sleep: async () => undefined, storageBudgetMs: 0, buffer: { keep: async (request) => void kept.push(request) } })(httpEvent(follow));
    expect(body(buffered)).toEqual({ ok: true, buffered: true });
    expect(kept).toEqual([expect.objectContaining({ provider: 'zalo', tenant: 'default', raw: follow.rawBody, receivedAt: NOW, work: { kind: 'store' } })]);
    const refused = await buildZaloIngest({ ...deps, sleep: async () => undefined, storageBudgetMs: 0 })(httpEvent(follow));
    expect(refused.statusCode).toBe(503);
  });
});

describe('Zalo ingest: the app\'s last use', () => {
  it('a registry app is recorded once its signature verifies (not on a forged request); an app of the settings never', async () => {
    const { deps, apps } = memory();
    const used: unknown[] = [];
    const ingest = buildZaloIngest({ ...deps, recordUse: async (credential) => void used.push(credential) });
    const forged = signed(retimed(zaloFixture('user_send_text').rawBody, at), undefined, 'wrong-key');
    expect((await ingest(httpEvent(forged))).statusCode).toBe(401);
    expect(used).toEqual([]);
    expect((await ingest(httpEvent(fresh(zaloFixture('user_send_text'), at)))).statusCode).toBe(200);
    expect(used).toEqual([{ tenant: 'default', kind: 'zalo-app', id: ZALO_FIXTURE_APP_ID }]);
    apps.set(ZALO_FIXTURE_APP_ID, { ...apps.get(ZALO_FIXTURE_APP_ID)!, fromSettings: true });
    expect((await ingest(httpEvent(fresh(zaloFixture('follow'), at)))).statusCode).toBe(200);
    expect(used).toHaveLength(1);
  });
});
