/**
 * What the projector needs from storage, declared here and implemented in lib/store: heads moved forward to
 * the best callback item the stream brought (lib/store/esms-heads.ts) and the phone index
 * (lib/store/esms-phone-index.ts). Dead letters are the aggregator's port (lib/aggregate/ports.ts).
 */
import type { Candidate } from '../esms/state';
import type { HeadDescription } from '../esms/ports';
import type { PhonePair } from './phone-pairs';

/** One message's head moved to the best of its new callback items, with the layouts they used. */
export interface HeadAdvance {
  description: HeadDescription;
  candidate: Candidate & { entry: Candidate['entry'] & { sh?: number } };
  /** Shard counts of the layouts the items were written in (1: the message's own partition). */
  layouts: number[];
  /** The newest receive time among the items. */
  lastSeen: number;
}

export interface HeadProjection {
  /** Moves the head forward (creating it when new), never backwards; `changed` when its winner moved. */
  advance(advance: HeadAdvance): Promise<{ changed: boolean; wcu: number }>;
}

export interface PhoneIndexResult {
  /** Pairs not indexed when read (written or erased below, or only counted in a dry run). */
  missing: number;
  /** Index items written (new pairs). */
  written: number;
  /** Pairs found indexed already (a later callback of the pair, a redelivered record). */
  present: number;
  /** Messages erased instead: their callback was stored before an erasure of the phone that did not see it. */
  erased: number;
  /** Pairs DynamoDB refused as invalid (a retry cannot fix them): the projector dead-letters their records. */
  refused: Array<{ pair: PhonePair; reason: string }>;
}

export interface PhoneIndexWriter {
  /** Indexes each pair not indexed yet, once; throws on a storage outage (the records are retried). */
  index(pairs: PhonePair[], options?: { dryRun?: boolean }): Promise<PhoneIndexResult>;
}
