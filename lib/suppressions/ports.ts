/**
 * What suppressions need from storage (lib/store/suppressions.ts): the projector applies changes derived
 * from the stream (lib/suppressions/derive.ts); the read routes list, read and clear them.
 */
import type { SuppressionItem } from '../table/suppressions';

/** One subject suppressed or cleared by one stream record. */
export interface SuppressionChange {
  tenant: string;
  /** A normalised phone number or a Zalo user id. */
  subject: string;
  subjectType: 'phone' | 'zalo-user';
  suppress: boolean;
  /** Applied only over an older order (lib/table/suppressions.ts suppressionOrder). */
  order: string;
  /** The outcome's time (epoch ms). */
  at: number;
  source: string;
  reason?: string;
  reasonVi?: string;
  code?: number;
  smsId?: string;
  msgId?: string;
  oaId?: string;
  event?: string;
  /** The stream record it came from (a failure retries from it). */
  sequenceNumber: string;
}

export interface SuppressionWriter {
  /** Applies the change when newer than what is stored; `true` when it was written. */
  apply(change: SuppressionChange): Promise<boolean>;
}

export interface SuppressionPage {
  items: SuppressionItem[];
  next: string | undefined;
}

export interface SuppressionStore {
  /** Suppressed subjects (tombstones left out), bucket after bucket; `next` continues after the last one. */
  list(tenant: string, limit: number, next: string | undefined): Promise<SuppressionPage>;
  /** The subject's item (suppressed or a tombstone), or undefined. */
  get(tenant: string, subject: string): Promise<SuppressionItem | undefined>;
  /** Clears a suppressed subject by hand at `at`; `false` when it was not suppressed. */
  clear(tenant: string, subject: string, at: number): Promise<boolean>;
}
