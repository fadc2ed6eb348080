/**
 * Where a counter lives. Counters of one report day are spread over COUNTER_BUCKETS partition keys
 * (by a hash of the group) so a busy day never funnels every write into one partition key; a report
 * reads the day's buckets back with one Query each.
 */
export const COUNTER_BUCKETS = 4;

export type Dimensions = Record<string, string>;

export interface CounterKey {
  /** `esms` or `zalo`: which metrics and dimensions the counter carries. */
  scope: 'esms' | 'zalo';
  day: string;
  dims: Dimensions;
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

export const groupId = (key: CounterKey): string =>
  `${key.scope}#${Object.keys(key.dims).sort().map((name) => `${name}=${key.dims[name]}`).join('#')}`;

export const counterKeys = (key: CounterKey): { pk: string; sk: string } => {
  const sk = groupId(key);
  return { pk: dayBucketPk(key.day, bucketOf(sk)), sk };
};

export const dayBucketPk = (day: string, bucket: number): string => `CNT#${day}#${bucket}`;

/** Stream sequence numbers are numeric strings of up to 40 digits; padded they compare as strings in DynamoDB. */
export const padSequence = (sequenceNumber: string): string => sequenceNumber.padStart(40, '0');

/** The attribute holding a shard's watermark on a counter item (top level: no parent map to create). */
export const watermarkAttribute = (shardId: string): string => `w#${shardId}`;
