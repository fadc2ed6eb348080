/**
 * Where a report counter lives in the counters table. Counters of one tenant's report day are spread over
 * COUNTER_BUCKETS partition keys (by a hash of the group) so a busy day never funnels every write into one
 * partition key; a report reads the day's buckets back with one Query each.
 */
export const COUNTER_BUCKETS = 4;

/**
 * The metrics a counter item carries: an eSMS counter's six (one request per SMSID, its winning callback's
 * receivers, sent, success and failed, and `priceE4`, the price in exact 1/10,000 VND), a Zalo counter's
 * event count. The one list the contributions, the window state, the reports, the audit and the report's
 * CSV columns derive from.
 */
export const ESMS_COUNTER_METRICS = ['requests', 'receivers', 'sent', 'success', 'failed', 'priceE4'] as const;
export type EsmsCounterMetric = (typeof ESMS_COUNTER_METRICS)[number];
export const ZALO_COUNTER_METRICS = ['events'] as const;
export const COUNTER_METRICS = [...ESMS_COUNTER_METRICS, ...ZALO_COUNTER_METRICS] as const;
/** A tenant's usage counter (scope `usage`, one per tenant and day): lib/aggregate/usage-contributions.ts. */
export const USAGE_COUNTER_METRICS = ['callbacks', 'duplicates', 'rejected', 'zaloEvents', 'messages', 'deliveries'] as const;
export const USAGE_SK = 'usage#';

export type Dimensions = Record<string, string>;

export interface CounterKey {
  tenant: string;
  /** `esms`, `zalo` or `usage`: which metrics and dimensions the counter carries. */
  scope: 'esms' | 'zalo' | 'usage';
  day: string;
  dims: Dimensions;
}

export type Metrics = Record<string, number>;

/** What one stored item adds to one counter. */
export interface Contribution {
  key: CounterKey;
  metrics: Metrics;
}

// FNV-1a: tiny, stable across runtimes, good enough to spread a few hundred groups over 4 buckets.
const bucketOf = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % COUNTER_BUCKETS;
};

/** The counter's sort key: its scope and dimensions, values URI-encoded so a `#` or `=` in an OA or template id cannot make two groups one. */
export const groupId = (key: CounterKey): string =>
  `${key.scope}#${Object.keys(key.dims).sort().map((name) => `${name}=${encodeURIComponent(key.dims[name]!)}`).join('#')}`;

export const dayBucketPk = (tenant: string, day: string, bucket: number): string => `T#${tenant}#CNT#${day}#${bucket}`;

export const counterKeys = (key: CounterKey): { pk: string; sk: string } => {
  const sk = groupId(key);
  return { pk: dayBucketPk(key.tenant, key.day, bucketOf(sk)), sk };
};

/**
 * A stream shard's watermark: the sequence number of the last record whose counter deltas are applied, in
 * an item of its own (written in the same transaction as the counters it moves), so counter items carry
 * only their metrics whatever the number of shards. Kept two days (a stream keeps records one).
 */
export const shardWatermarkKey = (shardId: string) => ({ pk: `WM#${shardId}`, sk: '#' });
export const WATERMARK_DAYS = 2;

/**
 * Stream records the aggregator could not read, kept whole per Vietnam day in the counters table for
 * DEAD_LETTER_DAYS (TTL; docs/operations.md): long enough to fix the cause and audit the days, and erasure
 * scrubs a number from them meanwhile (lib/store/dead-letters.ts).
 */
export const DEAD_LETTER_DAYS = 14;
export const deadLetterPk = (day: string): string => `DLQ#${day}`;
export const deadLetterSk = (shardId: string, sequenceNumber: string): string => `${shardId}#${sequenceNumber}`;
