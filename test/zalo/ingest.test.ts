/**
 * The webhook pipeline with in-memory adapters: which metric each outcome counts, that a storage failure
 * answers 503 (so Zalo retries) and that the retry repairs what the failed attempt left half done.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../lib/errors';
import type { MetricName } from '../../lib/observability/metric-names';
import { buildZaloIngest, type ZaloIngestDeps } from '../../lib/zalo/ingest';
import type { NewestWins } from '../../lib/zalo/state';
import type { StoredZaloEvent } from '../../lib/table/zalo';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture } from '../support/fixtures';
import { fresh, retimed, signed, type SignedRequest } from './client';

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
  const deps: ZaloIngestDeps = {
    apps: () => ({ [ZALO_FIXTURE_APP_ID]: ZALO_FIXTURE_SECRET }),
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
  return { deps, events, applied, metrics, rejected, failStateTimes: (n: number) => { failState = n; } };
};

const httpEvent = ({ rawBody, headers }: SignedRequest, base64 = false): APIGatewayProxyEventV2 => ({
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
  body: base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
  isBase64Encoded: base64,
}) as APIGatewayProxyEventV2;

const at = NOW - 60_000;
const body = (answer: { body?: string }) => JSON.parse(answer.body ?? '{}');

describe('Zalo ingest pipeline (in memory)', () => {
  it('counts accepted, duplicate, unknown, rejected and signature failures', async () => {
    const { deps, metrics, rejected } = memory();
    const ingest = buildZaloIngest(deps);
    const text = fresh(zaloFixture('user_send_text'), at);
    expect((await ingest(httpEvent(text))).statusCode).toBe(200);
    expect(body(await ingest(httpEvent(text)))).toEqual({ ok: true, duplicate: true });
    const unknown = signed(JSON.stringify({ app_id: ZALO_FIXTURE_APP_ID, event_name: 'brand_new', timestamp: String(at) }));
    expect((await ingest(httpEvent(unknown))).statusCode).toBe(200);
    const malformed = signed(retimed(zaloFixture('follow').rawBody, at).replace('"follower":{"id":"5308693166941955879"},', ''));
    expect((await ingest(httpEvent(malformed))).statusCode).toBe(400);
    expect(rejected).toHaveLength(1);
    const forged = signed(retimed(zaloFixture('user_send_text').rawBody, at), undefined, 'wrong-key');
    expect((await ingest(httpEvent(forged))).statusCode).toBe(401);
    expect((await ingest(httpEvent({ rawBody: 'not json', headers: {} }))).statusCode).toBe(400);
    expect(metrics).toEqual([
      'ZaloEventAccepted', 'ZaloEventDuplicate', 'ZaloEventUnknown', 'ZaloEventAccepted', 'ZaloEventRejected', 'SignatureFailure', 'SignatureFailure',
    ]);
  });

  it('verifies a base64-encoded body on its decoded bytes', async () => {
    const { deps } = memory();
    expect(body(await buildZaloIngest(deps)(httpEvent(fresh(zaloFixture('oa_send_text'), at), true)))).toEqual({ ok: true, duplicate: false });
  });

  it('answers 503 when a state write fails, and the redelivery (duplicate) applies the state then', async () => {
    const { deps, applied, metrics, failStateTimes, events } = memory();
    const ingest = buildZaloIngest(deps);
    const follow = fresh(zaloFixture('follow'), at);
    failStateTimes(1);
    const first = await ingest(httpEvent(follow));
    expect(first.statusCode).toBe(503);
    expect(metrics).toContain('StorageFailure');
    expect(events.size).toBe(1); // the event itself was stored by the same round trip
    expect(applied).toHaveLength(0);
    expect(body(await ingest(httpEvent(follow)))).toEqual({ ok: true, duplicate: true });
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ kind: 'follower', set: { following: true } });
  });
});
