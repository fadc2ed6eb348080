/**
 * Structured JSON logs and EMF metrics (Powertools for AWS Lambda). Built once per cold start.
 * Nothing here logs secrets or whole phone numbers: callers pass masked values (see mask.ts), and as a
 * last line every string a log line carries, at any depth and in any error, goes through `maskDigits`
 * when the line is written (only Powertools' own keys, such as `timestamp`, are left as they are).
 *
 * Counts are summed in memory and printed as EMF at most once per METRICS_FLUSH_INTERVAL_MS (default 60 s,
 * CloudWatch's own resolution), one document per dimension set: a busy instance prints a few hundred bytes a
 * minute instead of one document per request (CloudWatch Logs ingestion was the largest item of the bill).
 * The cost: counts of an instance that is shut down before its next flush are lost. They are trends; the
 * exact numbers are the reports' counters in DynamoDB.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { maskDigits } from '../mask';
import { METRIC_NAMESPACE, type MetricName } from './metric-names';
import type { Log, Telemetry } from './ports';

// Transitional: the port types live in ports.ts; importers outside lib/wiring move there.
export type { Log, Telemetry } from './ports';

/** The keys Powertools itself writes on every line: its own values, never a phone. */
const POWERTOOLS_KEYS = new Set([
  'timestamp', 'level', 'service', 'sampling_rate', 'xray_trace_id', 'cold_start', 'function_arn', 'function_memory_size',
  'function_name', 'function_request_id', 'function_version', 'correlation_id',
]);

/** Called by Powertools for every key and value it serialises (errors are expanded after it, then come back here). */
const maskingReplacer = (key: string, value: unknown): unknown =>
  typeof value === 'string' && !POWERTOOLS_KEYS.has(key) ? maskDigits(value) : value;

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'vn-messaging-webhooks', jsonReplacerFn: maskingReplacer }) satisfies Log;
const SERVICE = 'webhooks';
export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE });

const interval = (): number => {
  const value = Number(process.env.METRICS_FLUSH_INTERVAL_MS ?? 60_000);
  return Number.isFinite(value) && value >= 0 ? value : 60_000;
};

/** Sums per dimension set (key: the sorted `name=value` pairs), each with its metrics' totals. */
const pending = new Map<string, { dimensions: Array<[string, string]>; counts: Map<MetricName, number> }>();
let lastFlush = Date.now();

const publish = (): void => {
  for (const { dimensions, counts } of pending.values()) {
    const document = dimensions.length === 0 ? metrics : new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE });
    for (const [key, value] of dimensions) document.addDimension(key, value);
    for (const [name, value] of counts) document.addMetric(name, MetricUnit.Count, value);
    if (document !== metrics) document.publishStoredMetrics();
  }
  pending.clear();
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  lastFlush = Date.now();
};

export const telemetry: Telemetry & { flush(options?: { force?: boolean }): void } = {
  count(name, dimensions = {}, value = 1) {
    if (value === 0) return;
    const entries = Object.entries(dimensions).filter((entry): entry is [string, string] => entry[1] !== undefined).sort(([a], [b]) => a.localeCompare(b));
    const key = entries.map(([k, v]) => `${k}=${v}`).join('&');
    const slot = pending.get(key) ?? { dimensions: entries, counts: new Map<MetricName, number>() };
    slot.counts.set(name, (slot.counts.get(name) ?? 0) + value);
    pending.set(key, slot);
  },
  gauge(name, value, unit) {
    metrics.addMetric(name, unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count, value);
  },
  /** Prints what was summed once the interval has passed (or now, with `force`: scheduled and stream functions). */
  flush(options: { force?: boolean } = {}) {
    if (options.force || Date.now() - lastFlush >= interval()) publish();
  },
};
