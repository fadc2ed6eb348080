/**
 * Structured JSON logs and EMF metrics (Powertools for AWS Lambda). Built once per cold start.
 * Nothing here logs secrets or whole phone numbers: callers pass masked values (see mask.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, type MetricName } from './metric-names';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'vn-messaging-webhooks' });
export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'webhooks' });

/** The logging calls lib/ modules make; Powertools' Logger satisfies it. */
export type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface Telemetry {
  count(name: MetricName, dimensions?: Record<string, string>, value?: number): void;
  gauge(name: MetricName, value: number, unit: 'Milliseconds' | 'Count'): void;
  flush(): void;
}

export const telemetry: Telemetry = {
  count(name, dimensions = {}, value = 1) {
    const entries = Object.entries(dimensions);
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
