/**
 * EXPERIMENT (bench only, not product code): a Powertools-free drop-in for lib/observability/telemetry.ts,
 * swapped in by an esbuild plugin to measure what the Logger + Metrics imports cost at module init.
 * Same exports, same wire formats in spirit: one JSON log line per call, one EMF document per flush.
 */
import type { MetricName } from '../../../lib/observability/metric-names';
import { METRIC_NAMESPACE } from '../../../lib/observability/metric-names';

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 } as const;
const threshold = LEVELS[(process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO').toUpperCase() as keyof typeof LEVELS] ?? LEVELS.INFO;
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'vn-messaging-webhooks';

const write = (level: keyof typeof LEVELS, message: string, extra: unknown[]) => {
  if (LEVELS[level] < threshold) return;
  const fields = Object.assign({}, ...extra.filter((item) => typeof item === 'object' && item !== null));
  process.stdout.write(`${JSON.stringify({ level, message, timestamp: new Date().toISOString(), service, ...fields })}\n`);
};

export const logger = {
  debug: (message: string, ...extra: unknown[]) => write('DEBUG', message, extra),
  info: (message: string, ...extra: unknown[]) => write('INFO', message, extra),
  warn: (message: string, ...extra: unknown[]) => write('WARN', message, extra),
  error: (message: string, ...extra: unknown[]) => write('ERROR', message, extra),
};
export type Log = typeof logger;

export interface Telemetry {
  count(name: MetricName, dimensions?: Record<string, string>, value?: number): void;
  gauge(name: MetricName, value: number, unit: 'Milliseconds' | 'Count'): void;
  flush(options?: { force?: boolean }): void;
}

const disabled = process.env.POWERTOOLS_METRICS_DISABLED === 'true';
const emf = (metrics: Record<string, { unit: string; value: number }>, dimensions: Record<string, string>) => {
  if (disabled) return;
  const names = Object.keys(metrics);
  if (names.length === 0) return;
  const dims = { service: 'webhooks', ...dimensions };
  process.stdout.write(`${JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(dims)], Metrics: names.map((Name) => ({ Name, Unit: metrics[Name]!.unit })) }] },
    ...dims,
    ...Object.fromEntries(names.map((name) => [name, metrics[name]!.value])),
  })}\n`);
};

let stored: Record<string, { unit: string; value: number }> = {};
export const telemetry: Telemetry = {
  count(name, dimensions = {}, value = 1) {
    if (Object.keys(dimensions).length > 0) return emf({ [name]: { unit: 'Count', value } }, dimensions);
    stored[name] = { unit: 'Count', value: (stored[name]?.value ?? 0) + value };
  },
  gauge(name, value, unit) {
    stored[name] = { unit, value };
  },
  // Every flush prints (the product's telemetry waits for its interval unless forced): init is what this measures.
  flush() {
    emf(stored, {});
    stored = {};
  },
};
