/**
 * What the functions print, captured while real requests run through the local stack (HTTP front door,
 * DynamoDB Local, the stream aggregator) with logging at DEBUG and EMF metrics on:
 * - no configured secret (eSMS tokens, API key, OA secret key) and no whole phone number appears in any
 *   log line, for accepted, duplicate, malformed, unauthenticated and forged requests;
 * - every EMF metric printed is in infra/metrics.json, in its namespace, with the service dimension and
 *   exactly its declared dimensions and values; the main ones (accepted, duplicate, rejected, unknown
 *   token, signature failure, aggregation lag, business counters per channel) really are printed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { captureOutput } from '../support/capture-output';
import { esmsFixture, ZALO_FIXTURE_SECRET, zaloFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, readApi, TOKEN, useStack } from '../support/stack';
import { fresh, postZalo, signed } from '../zalo/client';
import { appMetricProblems, emfMetrics, type MetricRef } from './template-metrics';

// Installed before the stack loads any handler (useStack below).
const printed = captureOutput();

const stack = useStack({
  env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false', METRICS_FLUSH_INTERVAL_MS: '0' },
  aggregator: { batchWindowMs: 200 },
});

const lines = () => printed.join('').split('\n').filter((line) => line.trim().length > 0);
const emfLines = () => lines().flatMap((line) => {
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return parsed._aws ? [parsed] : [];
  } catch {
    return [];
  }
});
const emitted = (): MetricRef[] => emfLines().flatMap(emfMetrics);

const PHONES = ['0901888484', '0912345678', '84901234567'];
const SECRETS = [TOKEN, 'old-token', API_KEY, ZALO_FIXTURE_SECRET];

describe('logs and metrics of real requests', () => {
  beforeAll(async () => {
    const s = stack();
    const accepted = esmsFixture('cskh-batch-failed'); // SendStatus 5 (final), TypeId 2, phonenumber 0901888484
    expect((await getJson(esmsUrl(s, 'sms', accepted))).status).toBe(200);
    expect((await getJson(esmsUrl(s, 'sms', accepted))).body).toMatchObject({ duplicate: true });
    const malformed = 'SMSID=obs-1&SendStatus=9&TotalReceiver=1&TotalSent=1&SendSuccess=1&SendFailed=0&TotalPrice=1&TypeId=2&phonenumber=0912345678';
    expect((await getJson(esmsUrl(s, 'sms', malformed))).status).toBe(400);
    expect((await getJson(esmsUrl(s, 'sms', accepted, 'not-a-token'))).status).toBe(404);
    const info = fresh(zaloFixture('user_submit_info'), Date.now() - 60_000); // carries the phone 84901234567
    expect((await postZalo(s, info)).status).toBe(200);
    expect((await postZalo(s, { ...info, headers: { ...info.headers, 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` } })).status).toBe(401);
    const broken = signed(info.rawBody.replace('"info":{', '"info":7,"x":{'), { 'Content-Type': 'application/json' });
    expect((await postZalo(s, broken)).status).toBeLessThan(500);
    expect((await readApi(s, '/api/esms/messages/dc712784-9c5f-4c69-b9a8-ea69d56adc9a87')).status).toBe(200);
    expect((await getJson(`${s.url}/api/rejected`, { authorization: 'Bearer wrong-key' })).status).toBe(401);
    // The aggregator runs on the stream: wait for the business counter of the final callback.
    const deadline = Date.now() + 30_000;
    while (!emitted().some((ref) => ref.name === METRICS.messagesSent) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  });

  it('no log line holds a configured secret or a whole phone number', () => {
    const logLines = lines();
    expect(logLines.length).toBeGreaterThan(5);
    const leaks = logLines.filter((line) => [...SECRETS, ...PHONES].some((value) => line.includes(value)));
    expect(leaks).toEqual([]);
  });

  it('the logs are structured JSON with the masked phone where a callback names one (the per-callback line is DEBUG: the callback itself is in DynamoDB)', () => {
    const json = lines().filter((line) => line.startsWith('{') && !line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const callback = json.find((entry) => entry.message === 'esms callback');
    expect(callback).toMatchObject({ level: 'DEBUG', route: 'sms', phone: '*******484' });
    expect(json.find((entry) => entry.message === 'esms callback rejected')?.query).toEqual({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('every printed EMF metric is declared (namespace, service dimension, its own dimensions and values)', () => {
    const refs = emitted();
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => ref.namespace !== METRIC_NAMESPACE)).toEqual([]);
    expect(refs.flatMap(appMetricProblems)).toEqual([]);
  });

  it('the main metrics are printed: accepted/duplicate/rejected/unknown token per route, signature failures, Zalo events, aggregation lag and business counters per channel', () => {
    const seen = (name: string, dims: Record<string, string> = {}) =>
      emitted().some((ref) => ref.name === name && Object.entries(dims).every(([k, v]) => ref.dimensions[k] === v));
    const sms = { route: 'sms' };
    expect(seen(METRICS.callbackAccepted, sms)).toBe(true);
    expect(seen(METRICS.callbackDuplicate, sms)).toBe(true);
    expect(seen(METRICS.callbackRejected, sms)).toBe(true);
    expect(seen(METRICS.unknownToken, sms)).toBe(true);
    expect(seen(METRICS.zaloEventAccepted, { route: 'zalo-webhook' })).toBe(true);
    expect(seen(METRICS.signatureFailure, { route: 'zalo-webhook' })).toBe(true);
    expect(seen(METRICS.aggregatedRecords)).toBe(true);
    expect(seen(METRICS.aggregationLagMs)).toBe(true);
    expect(seen(METRICS.messagesSent, { channel: 'sms_cskh' })).toBe(true);
    expect(seen(METRICS.messagesFailed, { channel: 'sms_cskh' })).toBe(true);
  });
});
