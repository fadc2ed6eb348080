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
}

/** A stored API key or eSMS token: the tenant and hex sha256 of the secret part. */
export interface StoredCredential {
  tenant: string;
  hash: string;
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
  /** Stored once (a fresh random id never collides). */
  putCredential(kind: CredentialKind, id: string, credential: StoredCredential & { createdAt: number }): Promise<void>;
  getCredential(kind: CredentialKind, id: string): Promise<StoredCredential | undefined>;
  /** Deletes it if it belongs to `tenant`; false when there was none. */
  deleteCredential(kind: CredentialKind, id: string, tenant: string): Promise<boolean>;
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
