/**
 * What the tenant domain needs from storage, declared here and implemented by lib/store/registry.ts and
 * lib/store/pending-zalo.ts. Values arrive and leave already hashed or sealed: adapters never see a secret.
 */
import type { PendingZaloRequest } from '../zalo/ports';

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
  retentionDays?: number | undefined;
  suspended?: boolean | undefined;
}

/** What PATCH /api/admin/tenants/{id} may change. */
export interface TenantChange {
  name?: string | undefined;
  retentionDays?: number | undefined;
  suspended?: boolean | undefined;
}

/** One entry of a tenant's credential index. */
export interface IndexedCredential {
  kind: 'api-key' | 'esms-token' | 'zalo-app';
  id: string;
  createdAt: number;
  /** When a request last authenticated with it, to the hour (absent: not since recording began). */
  lastUsedAt?: number | undefined;
}

/** Where a credential's last use is recorded: its entry in the tenant's credential index (lib/store/credential-use.ts). */
export interface CredentialUseStore {
  /**
   * Sets the entry's `lastUsedAt` to `at` when the entry exists and its `lastUsedAt` is absent or older than
   * `staleBefore`: true when written, false when the condition refused (no entry, or recorded recently).
   * Any other failure throws; `signal` aborts the request.
   */
  markUsed(credential: UsedCredential, at: number, staleBefore: number, signal?: AbortSignal): Promise<boolean>;
}

export interface UsedCredential {
  tenant: string;
  kind: IndexedCredential['kind'];
  id: string;
}

/** A stored API key or eSMS token: the tenant and hex sha256 of the secret part. */
export interface StoredCredential {
  tenant: string;
  hash: string;
  /** An API key of a suspended tenant. */
  suspended?: boolean | undefined;
}

export type CredentialKind = 'api-key' | 'esms-token';

export interface StoredZaloApp {
  appId: string;
  tenant: string;
  /** Sealed; undefined while pending. */
  oaSecretKey: string | undefined;
  appSecret: string | undefined;
  pendingKept: number;
  drainedIngested: number;
  drainedDiscarded: number;
}

export interface RegistryStore {
  /** false when the id exists. */
  createTenant(tenant: Tenant): Promise<boolean>;
  getTenant(id: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  /** Applies the change to an existing tenant; undefined when there is none. */
  updateTenant(id: string, change: TenantChange): Promise<Tenant | undefined>;
  /**
   * Stored once (a fresh random id never collides) with its entry in the tenant's credential index, in one
   * transaction that also checks the tenant still exists with `suspended` as given: false when it does not.
   */
  putCredential(kind: CredentialKind, id: string, credential: StoredCredential & { createdAt: number }): Promise<boolean>;
  getCredential(kind: CredentialKind, id: string): Promise<StoredCredential | undefined>;
  /** Deletes it and its index entry if it belongs to `tenant`; false when there was none. */
  deleteCredential(kind: CredentialKind, id: string, tenant: string): Promise<boolean>;
  /** Marks an API key of `tenant` suspended or not; false when there is none. */
  setKeySuspended(id: string, tenant: string, suspended: boolean): Promise<boolean>;
  /** The tenant's credential index, every entry. */
  listTenantCredentials(tenant: string): Promise<IndexedCredential[]>;
  getZaloApp(appId: string): Promise<StoredZaloApp | undefined>;
  /**
   * Registers the app for `tenant` or updates it; the sealed values given replace the stored ones, absent
   * ones are kept. 'conflict' when another tenant owns the app.
   */
  putZaloApp(app: { appId: string; tenant: string; oaSecretKey?: string; appSecret?: string; now: number }): Promise<'created' | 'updated' | 'conflict'>;
  putSiteCode(code: string, tenant: string): Promise<'created' | 'updated' | 'conflict'>;
  deleteSiteCode(code: string, tenant: string): Promise<boolean>;
  /** Every code with its tenant. */
  listSiteCodes(): Promise<Array<{ code: string; tenant: string }>>;
  putEsmsAccount(tenant: string, sealed: string, now: number): Promise<void>;
  getEsmsAccount(tenant: string): Promise<string | undefined>;
}

export interface KeptPendingRequest extends PendingZaloRequest {
  /** Where the drain stopped and the key that removes it. */
  id: string;
}

/** The pending requests of an app, for the drain. */
export interface PendingDrainStore {
  /** Up to `limit` kept requests of the app, oldest first. */
  oldest(appId: string, limit: number): Promise<KeptPendingRequest[]>;
  /**
   * Removes the requests `ids` and adds the counts to the app's totals, atomically: false when another
   * drain removed one of them first (nothing is changed then).
   */
  settle(appId: string, ids: readonly string[], counts: { ingested: number; discarded: number }): Promise<boolean>;
}

/** What offboarding a tenant needs from storage (lib/tenants/offboard.ts; lib/store/tenant-offboard.ts). */
/** Where the record sweep is: the table it is in and DynamoDB's start key there, as text. */
export type SweepCursor = string;

/** Removal of one Zalo app (DELETE …/zalo-apps/{appId}): its item with its sealed keys, what it kept while pending, its index entry. */
export interface ZaloAppRemoval {
  /** At most `limit` items; `done` when none is left. The index entry goes last, so a rerun still finds the app. */
  removeZaloApp(tenant: string, appId: string, limit: number): Promise<{ deleted: number; done: boolean }>;
  /** Whether the tenant's credential index still names the app. */
  hasZaloApp(tenant: string, appId: string): Promise<boolean>;
}

export interface OffboardStore {
  /** The tenant item's offboarding state; undefined when there is no tenant. */
  state(tenant: string): Promise<{ offboarding: boolean; cursor: SweepCursor | undefined } | undefined>;
  /** Marks the tenant offboarding and suspended (one UpdateItem), before anything is deleted. */
  markOffboarding(tenant: string): Promise<void>;
  /**
   * Deletes the tenant's credentials and registry items (keys, tokens, Zalo apps with what they kept while
   * pending, its eSMS account, its domain-verification codes), at most `limit` items: `done` when none is left.
   */
  removeRegistryItems(tenant: string, limit: number): Promise<{ deleted: number; done: boolean }>;
  /**
   * One bounded step of deleting the tenant's records in the data tables (every key `T#<tenant>#…`): the
   * messages table, then the counters table. `messagesDone`: this step finished the messages table.
   */
  sweep(tenant: string, cursor: SweepCursor | undefined, limit: number): Promise<{ deleted: number; next: SweepCursor | undefined; messagesDone?: boolean }>;
  saveCursor(tenant: string, cursor: SweepCursor): Promise<void>;
  /** Deletes the tenant item and its credential index: the end. */
  removeTenant(tenant: string): Promise<void>;
}
