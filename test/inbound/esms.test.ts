/**
 * The eSMS callback pipeline in process, with in-memory ports (the same paths run over HTTP on DynamoDB Local
 * in esms.stack.test.ts and storage-outage.stack.test.ts): which answer and metric each outcome gets, that
 * storage which stays unavailable is retried within the request's budget and then the request is kept in the
 * buffer (answered 200, or the precise 400 for a malformed one), and that only a failing buffer makes a 503.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { StorageRequestBug, StorageUnavailableError } from '../../lib/errors';
import type { StoreCallbackInput, StoreCallbackResult } from '../../lib/esms/ports';
import type { BufferedRequest } from '../../lib/inbound/buffer';
import { STORAGE_BUDGET_MS } from '../../lib/inbound/deps';
import { buildEsmsBufferedStore, buildEsmsIngest, type EsmsIngestDeps } from '../../lib/inbound/esms';
import { METRICS, type MetricName } from '../../lib/observability/metric-names';
import type { NewRejected } from '../../lib/replay/ports';
import { esmsFixture } from '../support/fixtures';

const T0 = Date.parse('2026-06-01T03:00:00Z');
const TOKEN = 'secret-token';

type Failure = 'throttle' | 'bug' | undefined;

const memory = (options: { failures?: Failure[]; bufferFails?: boolean; rejectedFails?: boolean } = {}) => {
  let clock = T0;
  const stored: StoreCallbackInput[] = [];
  const seen = new Set<string>();
  const rejected: NewRejected[] = [];
  const buffered: BufferedRequest[] = [];
  const metrics: MetricName[] = [];
  const waits: number[] = [];
  const failures = [...(options.failures ?? [])];
  const deps: EsmsIngestDeps = {
    tenantOfToken: (token) => (token === TOKEN ? 'acme' : undefined),
    store: {
      storeCallback: async (input): Promise<StoreCallbackResult> => {
        const failure = failures.length > 0 ? failures.shift() : undefined;
        if (failure === 'throttle') throw new StorageUnavailableError(new Error('ProvisionedThroughputExceededException'));
        if (failure === 'bug') throw new StorageRequestBug(new Error('ValidationException: key too large'));
        stored.push(input);
        const id = `${input.tenant}|${input.canonical}`;
        const duplicate = seen.has(id);
        seen.add(id);
        return { duplicate, consumedWcu: 1 };
      },
    },
    rejected: {
      add: async (entry) => {
        if (options.rejectedFails) throw new StorageUnavailableError(new Error('down'));
        rejected.push(entry);
      },
    },
    buffer: {
      keep: async (request) => {
        if (options.bufferFails) throw new Error('SQS unavailable');
        buffered.push(request);
      },
    },
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    telemetry: { count: (name) => void metrics.push(name) },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { deps, stored, rejected, buffered, metrics, waits, now: () => clock };
};

const request = (route: string, query: string, token = TOKEN) =>
  ({ rawQueryString: query, pathParameters: { token }, routeKey: `GET /esms/{token}/${route}` }) as unknown as APIGatewayProxyEventV2;
const body = (answer: { body?: string }) => JSON.parse(answer.body ?? '{}') as Record<string, unknown>;

describe('eSMS ingest pipeline (in memory)', () => {
  it('refuses an unknown token with 404, storing and keeping nothing', async () => {
    const m = memory();
    const answer = await buildEsmsIngest(m.deps)('sms')(request('sms', esmsFixture('viber'), 'guess'));
    expect(answer.statusCode).toBe(404);
    expect([m.stored, m.rejected, m.buffered]).toEqual([[], [], []]);
    expect(m.metrics).toEqual([METRICS.unknownToken]);
  });

  it('stores a callback under the token\'s tenant with its route and receive time, and answers a retry as a duplicate', async () => {
    const m = memory();
    const ingest = buildEsmsIngest(m.deps)('viber');
    expect(body(await ingest(request('viber', esmsFixture('viber'))))).toEqual({ ok: true, duplicate: false });
    expect(body(await ingest(request('viber', esmsFixture('viber'))))).toEqual({ ok: true, duplicate: true });
    expect(m.stored[0]).toMatchObject({ tenant: 'acme', route: 'viber', receivedAt: T0, raw: esmsFixture('viber'), event: { typeId: 23, sendStatus: 5 } });
    expect(m.metrics).toEqual([METRICS.callbackAccepted, METRICS.callbackDuplicate]);
  });

  it('stores a TypeId that belongs to another route under its own TypeId, and flags it', async () => {
    const m = memory();
    const answer = await buildEsmsIngest(m.deps)('sms')(request('sms', esmsFixture('zns-114-json-string')));
    expect(body(answer)).toEqual({ ok: true, duplicate: false, flagged: 'TypeId 25 belongs to /zns' });
    expect(m.metrics).toContain(METRICS.routeMismatch);
  });

  it('answers a malformed callback 400 naming the field and keeps its raw query', async () => {
    const m = memory();
    const raw = esmsFixture('viber').replace('SendStatus=5', 'SendStatus=3');
    const answer = await buildEsmsIngest(m.deps)('viber')(request('viber', raw));
    expect(answer.statusCode).toBe(400);
    expect(body(answer)).toMatchObject({ ok: false, error: { field: 'SendStatus' } });
    expect(m.rejected).toEqual([expect.objectContaining({ tenant: 'acme', raw, field: 'SendStatus', status: 400 })]);
  });

  it('retries throttled storage within the budget and answers as stored once it succeeds', async () => {
    const m = memory({ failures: ['throttle', 'throttle', 'throttle'] });
    const answer = await buildEsmsIngest(m.deps)('viber')(request('viber', esmsFixture('viber')));
    expect(body(answer)).toEqual({ ok: true, duplicate: false });
    expect(m.waits).toHaveLength(3);
    expect(m.stored).toHaveLength(1);
    expect(m.buffered).toEqual([]);
  });

  it('keeps a callback storage cannot take within the budget in the buffer and answers 200 buffered, inside the budget', async () => {
    const m = memory({ failures: Array<Failure>(100).fill('throttle') });
    const answer = await buildEsmsIngest(m.deps)('zns')(request('zns', esmsFixture('zns-otp-request-id')));
    expect(answer.statusCode).toBe(200);
    expect(body(answer)).toEqual({ ok: true, buffered: true });
    expect(m.buffered).toEqual([{ v: 1, provider: 'esms', tenant: 'acme', route: 'zns', raw: esmsFixture('zns-otp-request-id'), receivedAt: T0, work: { kind: 'store' } }]);
    expect(m.now() - T0).toBeLessThan(STORAGE_BUDGET_MS);
    expect(m.waits.length).toBeGreaterThan(2);
    expect(m.metrics).toEqual([METRICS.callbackBuffered]);
  });

  it('keeps a malformed callback in the buffer when the rejected log is down, and still answers the precise 400', async () => {
    const m = memory({ rejectedFails: true });
    const raw = esmsFixture('viber').replace('SendStatus=5', 'SendStatus=3');
    const answer = await buildEsmsIngest(m.deps)('viber')(request('viber', raw));
    expect(answer.statusCode).toBe(400);
    expect(m.buffered).toEqual([expect.objectContaining({ raw, work: { kind: 'rejected', error: expect.objectContaining({ field: 'SendStatus', status: 400 }) } })]);
  });

  it('answers 503 only when the buffer fails too', async () => {
    const m = memory({ failures: Array<Failure>(100).fill('throttle'), bufferFails: true });
    const answer = await buildEsmsIngest(m.deps)('viber')(request('viber', esmsFixture('viber')));
    expect(answer.statusCode).toBe(503);
    expect(m.metrics).toEqual([METRICS.storageFailure]);
  });

  it('does not retry or buffer a request DynamoDB refuses as invalid: 500, raw kept for replay', async () => {
    const m = memory({ failures: ['bug'] });
    const answer = await buildEsmsIngest(m.deps)('viber')(request('viber', esmsFixture('viber')));
    expect(answer.statusCode).toBe(500);
    expect(m.waits).toEqual([]);
    expect(m.buffered).toEqual([]);
    expect(m.rejected).toEqual([expect.objectContaining({ field: 'storage', status: 500 })]);
  });

  it('the drain stores a buffered callback as it arrived: same tenant, route and receive time, a second delivery a duplicate', async () => {
    const m = memory({ failures: Array<Failure>(100).fill('throttle') });
    await buildEsmsIngest(m.deps)('zns')(request('zns', esmsFixture('zns-otp-request-id')));
    const healthy = memory();
    const drainStore = buildEsmsBufferedStore(healthy.deps);
    const message = m.buffered[0]! as Extract<BufferedRequest, { provider: 'esms' }>;
    expect(await drainStore(message)).toBe('stored');
    expect(await drainStore(message)).toBe('duplicate');
    expect(healthy.stored[0]).toMatchObject({ tenant: 'acme', route: 'zns', receivedAt: T0, raw: esmsFixture('zns-otp-request-id') });
  });
});
