/**
 * What the Zalo domain and its read routes need from storage, declared here and implemented by the
 * adapters in lib/store (zalo-events, zalo-state, zalo-links, followers, oauth-tokens, zalo-erasure). The item shapes
 * are lib/table's; nothing here knows DynamoDB.
 */
import type { ErasedPhone, ErasureBudget } from '../esms/ports';
import type { ConsentItem, FollowerItem, JourneyItem, OaStateItems, StoredZaloEvent } from '../table/zalo';
import type { NewestWins } from './state';

/** Where a listing stopped (the table's last key); lib/table/cursor.ts turns it into an opaque cursor. */
export type PageKey = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  /** Set when more may follow. */
  lastKey?: PageKey;
}

export interface WriteOutcome {
  /** The item was already there (a redelivery): nothing was written. */
  duplicate: boolean;
  /** Write capacity units consumed, when the store reports them. */
  consumedWcu: number | undefined;
}

export interface ZaloEventStore {
  /** One conditional write; `duplicate` when this event is already stored. */
  putEvent(item: StoredZaloEvent): Promise<WriteOutcome>;
  /** Writes the copies that are not there yet; returns the WCU consumed by the new ones. */
  putCopies(items: readonly StoredZaloEvent[]): Promise<number>;
  /**
   * Every event of the tenant naming this msg_id: the message's own events, and the receipts naming
   * several messages found through the message's conversation (lib/table/zalo.ts).
   */
  eventsOfMessage(tenant: string, msgId: string): Promise<StoredZaloEvent[]>;
  /** One page of an OA–user conversation of the tenant, in time order (or newest first). */
  conversation(tenant: string, oaId: string, userId: string, page: { limit: number; startKey?: PageKey; newestFirst?: boolean }): Promise<Page<StoredZaloEvent>>;
}

export interface ZaloStateStore {
  /** Applies the change only when it is newer than the stored one; `applied: false` when a newer one won. */
  apply(change: NewestWins): Promise<{ applied: boolean; consumedWcu: number | undefined }>;
  /** An OA's templates, daily quota and content tags, as the tenant saw them. */
  oaState(tenant: string, oaId: string): Promise<OaStateItems>;
  journey(tenant: string, journeyId: string): Promise<JourneyItem | undefined>;
  consent(tenant: string, oaId: string, phone: string): Promise<ConsentItem | undefined>;
}

export interface FollowerStore {
  /**
   * Up to `limit` current followers after `startKey`, in user-id order; `anyStored` says whether the page
   * read any follower item of the OA at all (users who unfollowed included).
   */
  listFollowers(tenant: string, oaId: string, page: { limit: number; startKey?: PageKey }): Promise<Page<FollowerItem> & { anyStored: boolean }>;
}

export interface ZaloLinkStore {
  /** The tenant's SMSIDs whose eSMS callbacks carried this Zalo msg_id (normally one). */
  smsIdsOf(tenant: string, zaloMsgId: string): Promise<string[]>;
  /** The tenant's Zalo msg_ids whose events echoed this tracking id (the eSMS RequestId), at most `limit`. */
  msgIdsOfTracking(tenant: string, trackingId: string, limit: number): Promise<string[]>;
}

export type { BackfillJobStore, FollowerBackfillWriter, OAuthFlowStore, TokenStore } from '../zalo-oa/ports';

/** A Zalo app registered with the platform: the tenant it belongs to and its OA Secret Key, once configured. */
export interface ZaloApp {
  appId: string;
  tenant: string;
  /** The OA Secret Key; undefined while the app is pending (registered, key not configured yet). */
  secret: string | undefined;
  /** The app's own secret key, for the OA permission flow (OAuth); undefined when not configured. */
  appSecret?: string | undefined;
  /** Configured by the settings (`ZALO_APPS`), not the registry: tenant `default`. */
  fromSettings?: boolean;
}

export interface ZaloAppDirectory {
  /**
   * The app registered under `appId`, or undefined when nobody registered it. Adapters may cache an app
   * that has its key for a short TTL; a pending app is read again on every request, so a key configured
   * is used on the next request.
   */
  find(appId: string): Promise<ZaloApp | undefined>;
}

/** A webhook request kept as received, for an app that is pending. */
export interface PendingZaloRequest {
  raw: string;
  headers: Record<string, string>;
  receivedAt: number;
  /** The network it came from (an IPv4 /24 or IPv6 /48): each may take only a share of an app's room. */
  source?: string;
}

export interface PendingZaloRequests {
  /**
   * Keeps a request of a pending app until its key is configured. `kept: false` when the app's cap, or its
   * source network's share of it, is reached, or the app was registered longer than the window ago, or the
   * app is no longer pending (`pending: false`: its key arrived meanwhile, so the caller verifies and
   * ingests the request instead).
   */
  keep(app: ZaloApp, request: PendingZaloRequest): Promise<{ kept: boolean; pending: boolean }>;
}

/** Where a phone's Zalo records are: an OA's events of one day (consent pointers) or one partition (`part`). */
export interface ConsentPointer {
  oaId?: string | undefined;
  day?: string | undefined;
  part?: string | undefined;
  key: { pk: string; sk: string };
}

export type { ErasedPhone } from '../esms/ports';

/** Storage for the Zalo eraser (lib/zalo/erasure.ts; lib/store/zalo-erasure.ts). */
export interface ZaloErasureStore {
  /** Up to `limit` pointers of the phone. */
  consentPointers(tenant: string, phone: ErasedPhone, limit: number): Promise<ConsentPointer[]>;
  /**
   * Items of the partition (after sort key `after`) whose raw body holds the number, rewritten without it.
   * Stops at the deadline: `last` is the last sort key looked at, to carry on from.
   */
  scrubPartition(pk: string, phone: ErasedPhone, budget: ErasureBudget, after: string | undefined): Promise<{ changed: number; complete: boolean; last?: string | undefined }>;
  /** The OA's consent items of the phone (any spelling) deleted; how many existed. */
  deleteConsent(tenant: string, oaId: string, phone: ErasedPhone): Promise<number>;
  deletePointer(key: { pk: string; sk: string }): Promise<void>;
}
