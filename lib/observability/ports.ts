/**
 * The logging and metrics ports lib/ modules take as dependencies. Only lib/wiring loads their Powertools
 * implementation (telemetry.ts), so a pure module never builds a Logger or Metrics at import time.
 */
import type { DimensionName, MetricName } from './metric-names';

/** Structured fields of one log line (several objects are merged); callers pass masked values only (mask.ts). */
export type LogFields = Record<string, unknown>;

export interface Log {
  debug(message: string, ...fields: LogFields[]): void;
  info(message: string, ...fields: LogFields[]): void;
  warn(message: string, ...fields: LogFields[]): void;
  error(message: string, ...fields: LogFields[]): void;
}

/** Dimensions come from the closed set of infra/metrics.json: no OA, template or user id (billed per value). */
export type MetricDimensions = Partial<Record<DimensionName, string>>;

export interface Telemetry {
  count(name: MetricName, dimensions?: MetricDimensions, value?: number): void;
  gauge(name: MetricName, value: number, unit: 'Milliseconds' | 'Count'): void;
  flush(): void;
}
