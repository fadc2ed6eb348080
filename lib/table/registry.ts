/**
 * The tenant registry table: every key prefix and stored shape. One item per thing a request resolves, so
 * each lookup is one GetItem on a key the function's IAM grant names (dynamodb:LeadingKeys):
 * - `TENANTS` / `<id>`: a tenant (one partition: the admin lists them, reconciliation walks them).
 * - `APIKEY#<keyId>` / `#`: a read-API key of a tenant, as sha256 of its secret part.
 * - `ESMSTOKEN#<tokenId>` / `#`: an eSMS callback token of a tenant, as sha256 of its secret part.
 * - `ZAPP#<appId>` / `#`: a Zalo app, its tenant, its sealed OA Secret Key and app secret, its pending counters.
 * - `ZPEND#<appId>` / `<receivedAt>#<seq>#<rand>`: a request kept raw while the app is pending (TTL).
 * - `ZPSRC#<appId>` / `<source network>`: how many requests of that network the pending app kept (TTL).
 * - `SITE` / `<code>`: a Zalo domain-verification code and its tenant (GET / reads the partition).
 * - `ESMSACCT#<tenant>` / `#`: a tenant's sealed eSMS account for reconciliation.
 * - `T#<tenant>#CRED` / `<kind>#<id>`: the tenant's credential index (issue 23): one item per API key,
 *   eSMS token (written and removed in the same transaction as the credential) and Zalo app (written after
 *   the app's item on every PUT, so a second PUT repairs a missing one). The credentials themselves stay
 *   keyed by their id (one GetItem per request); this partition lists a tenant's without a scan. An entry
 *   carries `lastUsedAt` (epoch ms), set at most about once an hour by the functions that resolve the
 *   credential (lib/tenants/last-used.ts), never created by that write.
 */
import * as v from 'valibot';

export const TENANTS_PK = 'TENANTS';
export const SITE_PK = 'SITE';
export const ROOT_SK = '#';

export const tenantKey = (tenant: string) => ({ pk: TENANTS_PK, sk: tenant });
export const apiKeyKey = (keyId: string) => ({ pk: `APIKEY#${keyId}`, sk: ROOT_SK });
export const esmsTokenKey = (tokenId: string) => ({ pk: `ESMSTOKEN#${tokenId}`, sk: ROOT_SK });
export const zaloAppKey = (appId: string) => ({ pk: `ZAPP#${appId}`, sk: ROOT_SK });
export const pendingPk = (appId: string) => `ZPEND#${appId}`;
export const pendingSourceKey = (appId: string, network: string) => ({ pk: `ZPSRC#${appId}`, sk: network });
export const siteCodeKey = (code: string) => ({ pk: SITE_PK, sk: code });
export const esmsAccountKey = (tenant: string) => ({ pk: `ESMSACCT#${tenant}`, sk: ROOT_SK });

/** What the credential index lists. */
export const INDEXED_CREDENTIAL_KINDS = ['api-key', 'esms-token', 'zalo-app'] as const;
export type IndexedCredentialKind = (typeof INDEXED_CREDENTIAL_KINDS)[number];
export const tenantCredentialsPk = (tenant: string) => `T#${tenant}#CRED`;
export const credentialIndexKey = (tenant: string, kind: IndexedCredentialKind, id: string) => ({ pk: tenantCredentialsPk(tenant), sk: `${kind}#${id}` });

export const CredentialIndexItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  kind: v.picklist(INDEXED_CREDENTIAL_KINDS),
  id: v.string(),
  createdAt: v.number(),
  /** When a request last authenticated with it (to the hour: lib/tenants/last-used.ts); absent: not since recording began. */
  lastUsedAt: v.optional(v.number()),
});

/** Where sealed values are bound (the AES-GCM additional data): a sealed value cannot move to another item. */
export const SEAL_CONTEXT = {
  oaSecretKey: (appId: string) => `registry:zapp:${appId}:oaSecretKey`,
  appSecret: (appId: string) => `registry:zapp:${appId}:appSecret`,
  esmsAccount: (tenant: string) => `registry:esms-account:${tenant}`,
} as const;

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const TenantItemSchema = v.object({
  pk: v.literal(TENANTS_PK),
  sk: v.string(),
  name: v.string(),
  createdAt: v.number(),
  /** Days its eSMS messages are kept (TTL); absent: the environment's MESSAGE_RETENTION_DAYS. */
  retentionDays: v.optional(v.number()),
  /** Its API keys are refused (403); its callbacks and events are still stored. */
  suspended: v.optional(v.boolean()),
});
export type TenantItem = v.InferOutput<typeof TenantItemSchema>;

/** An API key or eSMS token: `hash` is hex sha256 of the secret part; the id part is the key's own. */
export const CredentialItemSchema = v.object({
  pk: v.string(),
  sk: v.literal(ROOT_SK),
  tenant: v.string(),
  hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  createdAt: v.number(),
  /** An API key of a suspended tenant (copied from the tenant item on suspend, so a request reads one item). */
  suspended: v.optional(v.boolean()),
});
export type CredentialItem = v.InferOutput<typeof CredentialItemSchema>;

export const ZaloAppItemSchema = v.object({
  pk: v.string(),
  sk: v.literal(ROOT_SK),
  appId: v.string(),
  tenant: v.string(),
  /** Sealed (lib/seal.ts, context SEAL_CONTEXT.oaSecretKey); absent while the app is pending. */
  oaSecretKey: v.optional(v.string()),
  /** Sealed app (OAuth) secret; optional. */
  appSecret: v.optional(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
  /** Requests kept while pending, ever (the cap counts them). */
  pendingKept: v.optional(v.number(), 0),
  /** Pending requests the drains ingested and discarded so far. */
  drainedIngested: v.optional(v.number(), 0),
  drainedDiscarded: v.optional(v.number(), 0),
});
export type ZaloAppItem = v.InferOutput<typeof ZaloAppItemSchema>;

export const PendingItemSchema = v.object({
  pk: v.string(),
  sk: v.string(),
  raw: v.string(),
  headers: v.record(v.string(), v.string()),
  receivedAt: v.number(),
  /** The source network it came from (lib/http/request.ts `sourceNetwork`); absent on older items. */
  source: v.optional(v.string()),
  expiresAt: v.number(),
});
export type PendingItem = v.InferOutput<typeof PendingItemSchema>;

export const SiteCodeItemSchema = v.object({ pk: v.literal(SITE_PK), sk: v.string(), tenant: v.string() });

export const EsmsAccountItemSchema = v.object({ pk: v.string(), sk: v.literal(ROOT_SK), tenant: v.string(), sealed: v.string(), updatedAt: v.number() });

/** Sort key of a pending request: arrival order (ms, then this instance's sequence), unique. */
export const pendingSk = (receivedAt: number, seq: number, nonce: string) =>
  `${String(receivedAt).padStart(15, '0')}#${String(seq).padStart(10, '0')}#${nonce}`;
