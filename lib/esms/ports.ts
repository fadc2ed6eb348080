/**
 * What the eSMS domain needs from storage, declared here and implemented by `lib/store/esms-messages.ts`.
 */
import type { OverflowItem, StoredHead } from '../table/esms';
import type { EsmsRoute } from './channels';
import type { EsmsCallback } from './schema';

export interface StoreCallbackInput {
  tenant: string;
  event: EsmsCallback;
  /** The callback's identity for deduplication (see `canonicalQuery`). */
  canonical: string;
  raw: string;
  route: EsmsRoute;
  receivedAt: number;
  /** Where the callback came from; `reconcile` when learnt from eSMS's pull APIs. */
  source?: 'callback' | 'reconcile';
  /** The report day's instant when the message is new (a discovered message: its SentTime); default receivedAt. */
  firstSeen?: number;
}

/** What a head says about its message besides its callbacks: set when first learnt, never overwritten. */
export interface HeadDescription {
  tenant: string;
  smsId: string;
  typeId: number;
  route: string;
  firstSeen: number;
  telcoId?: number;
  oaId?: string;
  templateId?: string;
  requestId?: string;
  /** A single-recipient message's phone (a batch's head names none). */
  phone?: string;
  /** TTL (epoch seconds) under the tenant's retention. */
  expiresAt?: number;
}

export interface StoreCallbackResult {
  duplicate: boolean;
  /** Write capacity units consumed (ReturnConsumedCapacity), refused conditional writes included. */
  consumedWcu: number;
  /**
   * Whether the head (what reports count) changed, when the write itself decided it (a callback inside the
   * head). A callback item of its own reaches the head through the stream: undefined.
   */
  headChanged?: boolean;
}

export interface MessagePage {
  head: StoredHead | undefined;
  overflow: OverflowItem[];
  next: string | undefined;
}

export interface HeadPage {
  heads: StoredHead[];
  next: string | undefined;
  /** Heads read to answer this page (more than `heads` when a filter refused some). */
  read?: number;
}

export interface EsmsMessageStore {
  storeCallback(input: StoreCallbackInput): Promise<StoreCallbackResult>;
  readHead(tenant: string, smsId: string): Promise<StoredHead | undefined>;
  /**
   * The head (first page only) and up to `limit` callback items: the message's own partition first, then each
   * batch layout's shards in order, (phone, id) order within a partition.
   */
  readMessagePage(tenant: string, smsId: string, limit: number, cursor?: string): Promise<MessagePage>;
  /**
   * Heads first seen on one Vietnam day (optionally only between two instants), newest first; `cursor` from the
   * previous page. With `accept`, only the heads it accepts, up to `limit` of them from a bounded window.
   */
  headsOfDay(tenant: string, day: string, limit: number, cursor?: string, seenBetween?: readonly [number, number], accept?: (head: StoredHead) => boolean): Promise<HeadPage>;
  /** Heads of the messages to one normalised phone (lib/esms/phone.ts), newest first. */
  headsByPhone(tenant: string, phone: string, limit: number, cursor?: string): Promise<HeadPage>;
  /** Heads of the messages sent with the partner's own RequestId, newest first. */
  headsByRequestId(tenant: string, requestId: string, limit: number, cursor?: string): Promise<HeadPage>;
  /** One callback item (the head names its best one by phone, id and layout). */
  readOverflow(tenant: string, smsId: string, phone: string | undefined, id: string, shards?: number): Promise<OverflowItem | undefined>;
  /** Marks a message expired unless it is final or already expired; true when it changed. */
  expire(tenant: string, smsId: string, at: number): Promise<boolean>;
}
