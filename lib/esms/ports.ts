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

/**
 * A phone being erased, as storage needs it (lib/esms/erasure.ts `erasedPhone` builds it): the spelling
 * rules come with it, so the adapters (lib/store/*-erasure.ts) hold none.
 */
export interface ErasedPhone {
  /** The normalised number (`84…`): what the phone index, consent pointers and marks are keyed by. */
  normalised: string;
  /** Every spelling a whole value (a sort key, a `ph` field) may hold. */
  spellings: readonly string[];
  /** A substring the provider's own spellings contain (Zalo bodies): a Query's filter narrows on it. */
  needle: string;
  /** True when the text holds the number in any spelling. */
  isIn(text: string): boolean;
  /** The text with every spelling of the number replaced by `erased`. */
  scrub(text: string): string;
  /** A stored callback (inline entry or callback item) without the number. */
  scrubCallback<C extends { ph?: string | undefined; q?: string | undefined }>(callback: C): C;
  /** The head attributes that change when the number is erased from it (empty when the head holds none). */
  scrubbedHead(head: Record<string, unknown>): Record<string, unknown>;
}

export interface ErasureBudget {
  /** Epoch ms after which an eraser starts no new record. */
  deadline: number;
  now: () => number;
  /** When this erasure began (its first call): records received later are new data, not erased. */
  started: number;
}

export interface ErasureResult {
  /** Records changed (rewritten or deleted). */
  changed: number;
  complete: boolean;
  /** Where an incomplete eraser stopped: handed back to it on the next call. */
  cursor?: string | undefined;
}

/** One kind of record a phone number is erased from. */
export interface Eraser {
  /** Carries on from `cursor` (what it answered last time; undefined on its first call). */
  erase(tenant: string, phone: ErasedPhone, budget: ErasureBudget, cursor: string | undefined): Promise<ErasureResult>;
}

/** How far an erasure got: the eraser it is at and that eraser's cursor. */
export interface ErasureProgress {
  step: number;
  cursor?: string | undefined;
  started: number;
}

/** Where an erasure's progress is kept between calls (lib/store/erasure-progress.ts). */
export interface ErasureProgressStore {
  load(tenant: string, phone: ErasedPhone): Promise<ErasureProgress | undefined>;
  save(tenant: string, phone: ErasedPhone, progress: ErasureProgress): Promise<void>;
  clear(tenant: string, phone: ErasedPhone): Promise<void>;
}
