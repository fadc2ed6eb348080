/**
 * What the projector needs from storage, declared here and implemented in lib/store: heads moved forward to
 * the best callback item the stream brought (lib/store/esms-heads.ts) and the phone index
 * (lib/store/esms-phone-index.ts). Dead letters are the aggregator's port (lib/aggregate/ports.ts).
 */
import type { Candidate } from '../esms/state';
import type { StoredHead } from '../table/esms';
import type { HeadDescription } from '../esms/ports';

/** A (phone, SMSID) pair a stream record makes known (lib/projector/phone-pairs.ts), for the phone index. */
export interface PhonePair {
  /** The stream record that made the pair known (a pair the index cannot take dead-letters it). */
  sequenceNumber: string;
  tenant: string;
  smsId: string;
  /** Normalised (lib/esms/phone.ts). */
  phone: string;
  /** As eSMS spelled it (callback items' sort keys use this spelling). */
  spelling: string;
  /** When the pair was first stored (epoch ms): the index's newest-first order. */
  ds: number;
  /** When the record's callback was stored: an erasure mark at or after it erases instead of indexing. */
  storedAt: number;
  /** The source item's TTL, so the index item leaves with the message. */
  expiresAt?: number;
}

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
  /** The head as it is now, eventually consistent (heads only move forward, so a stale one is a safe lower bound). */
  read(tenant: string, smsId: string): Promise<StoredHead | undefined>;
  /**
   * One write: the description where the head lacks it, the layouts added, and with `moveWinner` the winner
   * moved to the candidate only if it still ranks below it (false: `written` false, nothing changed).
   */
  write(advance: HeadAdvance, moveWinner: boolean, layouts: number[]): Promise<{ written: boolean; wcu: number }>;
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
