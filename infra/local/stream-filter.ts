/**
 * Lambda's event filtering for the stream consumers, locally: a record reaches the function when it
 * matches one of the source's filter patterns. Exact values and `exists` on a leaf are supported, as the
 * manifests use them; any other rule is refused so the local stack never passes a record Lambda would
 * drop, or the reverse.
 */
import type { DynamoDBRecord } from 'aws-lambda';

const isExists = (rule: unknown): rule is { exists: boolean } =>
  rule !== null && typeof rule === 'object' && Object.keys(rule).length === 1 && typeof (rule as { exists?: unknown }).exists === 'boolean';

const matches = (rule: unknown, value: unknown): boolean => {
  if (Array.isArray(rule)) {
    if (rule.length === 1 && isExists(rule[0])) return rule[0].exists ? value !== undefined : value === undefined;
    if (rule.some((allowed) => allowed !== null && typeof allowed === 'object')) throw new Error(`filter rule not supported locally: ${JSON.stringify(rule)}`);
    return rule.includes(value);
  }
  if (rule === null || typeof rule !== 'object') throw new Error(`filter rule not supported locally: ${JSON.stringify(rule)}`);
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  // A missing parent still lets `exists: false` below it match (the leaf is absent too).
  return Object.entries(rule).every(([key, inner]) => matches(inner, object?.[key]));
};

/** Whether Lambda would pass the record to the function; no patterns pass everything. */
export const passesFilters = (patterns: readonly unknown[], record: DynamoDBRecord): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matches(pattern, record));
