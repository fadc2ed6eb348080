/**
 * Lambda's event filtering for the stream consumer, locally: a record reaches the function when it
 * matches one of the source's filter patterns (exact values only, as the manifests use them; any other
 * rule is refused so the local stack never passes a record Lambda would drop, or the reverse).
 */
import type { DynamoDBRecord } from 'aws-lambda';

const matches = (rule: unknown, value: unknown): boolean => {
  if (Array.isArray(rule)) {
    if (rule.some((allowed) => allowed !== null && typeof allowed === 'object')) throw new Error(`filter rule not supported locally: ${JSON.stringify(rule)}`);
    return rule.includes(value);
  }
  if (rule === null || typeof rule !== 'object') throw new Error(`filter rule not supported locally: ${JSON.stringify(rule)}`);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(rule).every(([key, inner]) => matches(inner, (value as Record<string, unknown>)[key]));
};

/** Whether Lambda would pass the record to the function; no patterns pass everything. */
export const passesFilters = (patterns: readonly unknown[], record: DynamoDBRecord): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matches(pattern, record));
