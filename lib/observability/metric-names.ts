/**
 * Every CloudWatch metric the code emits (EMF, namespace below), read from infra/metrics.json: the one
 * list `infra/resources.js` also builds the dashboard and alarms from, and tests check against what the
 * code prints. OA and template ids are never dimensions: their cardinality is billed per metric.
 */
import definitions from '../../infra/metrics.json';

export const METRIC_NAMESPACE = definitions.namespace;

/** Powertools adds `service=<this>` to every metric; dashboards and alarms must name it too. */
export const SERVICE_DIMENSION = { name: 'service', value: definitions.serviceDimension } as const;

type MetricKey = keyof typeof definitions.metrics;

export const METRICS = Object.fromEntries(
  Object.entries(definitions.metrics).map(([key, metric]) => [key, metric.name]),
) as Record<MetricKey, string>;
export type MetricName = (typeof METRICS)[MetricKey];

/** The only dimension names used (besides `service`); each has the small closed set of values below. */
export const DIMENSIONS = { route: 'route', channel: 'channel' } as const satisfies Record<keyof typeof definitions.dimensions, string>;
export const DIMENSION_VALUES: Record<keyof typeof DIMENSIONS, readonly string[]> = definitions.dimensions;
export type DimensionName = (typeof DIMENSIONS)[keyof typeof DIMENSIONS];

export interface MetricDefinition {
  name: string;
  unit: string;
  /** Dimension name → the values this metric is emitted with. */
  dimensions: Partial<Record<keyof typeof DIMENSIONS, string[]>>;
  description: string;
}
export const METRIC_DEFINITIONS: Record<MetricKey, MetricDefinition> = definitions.metrics;
