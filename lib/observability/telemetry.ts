/**
 * Structured JSON logs and EMF metrics (Powertools for AWS Lambda). Built once per cold start.
 * Nothing here logs secrets or whole phone numbers: callers pass masked values (see mask.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE } from './metric-names';
import type { Log, Telemetry } from './ports';

// Transitional: the port types live in ports.ts; importers outside lib/wiring move there.
export type { Log, Telemetry } from './ports';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'vn-messaging-webhooks' }) satisfies Log;
export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'webhooks' });

export const telemetry: Telemetry = {
  count(name, dimensions = {}, value = 1) {
    const entries = Object.entries(dimensions).filter((entry): entry is [string, string] => entry[1] !== undefined);
    if (entries.length === 0) {
      metrics.addMetric(name, MetricUnit.Count, value);
      return;
    }
    const single = metrics.singleMetric();
    for (const [key, dim] of entries) single.addDimension(key, dim);
    single.addMetric(name, MetricUnit.Count, value);
  },
  gauge(name, value, unit) {
    metrics.addMetric(name, unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count, value);
  },
  flush() {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
};
