/**
 * The registry's admin operations: tenants, API keys, eSMS callback tokens, Zalo apps, eSMS accounts and
 * domain-verification codes. Secrets are generated here and shown once; the store only ever gets their
 * hashes (credentials) or sealed values (keys of other parties, which must be read back).
 */
import { RequestError } from '../errors';
import { DEFAULT_TENANT } from '../table/names';
import { SEAL_CONTEXT } from '../table/registry';
import { newCredential } from './credentials';
import type { CredentialKind, RegistryStore, Tenant } from './ports';

export interface AdminDeps {
  store: RegistryStore;
  seal: (plaintext: string, context: string) => string;
  now: () => number;
  /** True when the settings (`ZALO_APPS`, `ZALO_APP_SECRETS`) configure this app id for the tenant `default`. */
  configuredApp?: (appId: string) => boolean;
}

/** The five routes eSMS is given, one per channel family. */
export const ESMS_CALLBACK_ROUTES = ['sms', 'viber', 'zns', 'zalo', 'journey'] as const;

export const callbackUrls = (baseUrl: string, token: string) =>
  Object.fromEntries(ESMS_CALLBACK_ROUTES.map((route) => [route, `${baseUrl}/esms/${token}/${route}`])) as Record<(typeof ESMS_CALLBACK_ROUTES)[number], string>;

const existing = async (deps: AdminDeps, id: string): Promise<Tenant> => {
  const tenant = await deps.store.getTenant(id);
  if (!tenant) throw new RequestError(404, 'id', `no tenant ${id}`);
  return tenant;
};

export const createTenant = async (deps: AdminDeps, input: { id: string; name: string; retentionDays?: number | undefined }): Promise<Tenant> => {
  // The settings' tenant exists without a registry item; a registry `default` would be a second one under its keys.
  if (input.id === DEFAULT_TENANT) throw new RequestError(409, 'id', `tenant ${DEFAULT_TENANT} exists: it is the one the settings configure (ESMS_CALLBACK_TOKENS, API_KEYS, ZALO_APPS)`);
  const tenant = { ...input, createdAt: deps.now() };
  if (!(await deps.store.createTenant(tenant))) throw new RequestError(409, 'id', `tenant ${input.id} exists`);
  return tenant;
};

const createCredential = async (deps: AdminDeps, kind: CredentialKind, tenant: string) => {
  const { suspended } = await existing(deps, tenant);
  const credential = newCredential(kind);
  // An API key of a suspended tenant is created suspended; the store checks that the tenant still is.
  const keySuspended = kind === 'api-key' && suspended === true;
  const stored = await deps.store.putCredential(kind, credential.id, { tenant, hash: credential.hash, createdAt: deps.now(), ...(keySuspended && { suspended: true }) });
  if (!stored) throw new RequestError(409, 'id', `tenant ${tenant} was suspended or resumed meanwhile: try again`);
  return credential;
};

export const createApiKey = async (deps: AdminDeps, tenant: string) => {
  const { id, text } = await createCredential(deps, 'api-key', tenant);
  return { keyId: id, key: text };
};

export const createEsmsToken = async (deps: AdminDeps, tenant: string, baseUrl: string) => {
  const { id, text } = await createCredential(deps, 'esms-token', tenant);
  return { tokenId: id, token: text, callbackUrls: callbackUrls(baseUrl, text) };
};

export const revokeCredential = async (deps: AdminDeps, kind: CredentialKind, tenant: string, id: string): Promise<void> => {
  await existing(deps, tenant);
  if (!(await deps.store.deleteCredential(kind, id, tenant))) throw new RequestError(404, kind === 'api-key' ? 'keyId' : 'tokenId', `tenant ${tenant} has no ${kind} ${id}`);
};

/**
 * Registers or updates a Zalo app of `tenant`. Without `oaSecretKey` a new app is pending (an app that has
 * a key keeps it); with one the key is set or rotated, and the caller drains what was kept.
 */
export const putZaloApp = async (deps: AdminDeps, tenant: string, appId: string, input: { oaSecretKey?: string | undefined; appSecret?: string | undefined }) => {
  await existing(deps, tenant);
  // The settings' apps win every lookup: registered here too, the app's events would still go to `default`.
  if (deps.configuredApp?.(appId)) throw new RequestError(409, 'appId', `Zalo app ${appId} is configured by the settings (ZALO_APPS) for the tenant ${DEFAULT_TENANT}`);
  const outcome = await deps.store.putZaloApp({
    appId, tenant, now: deps.now(),
    ...(input.oaSecretKey !== undefined ? { oaSecretKey: deps.seal(input.oaSecretKey, SEAL_CONTEXT.oaSecretKey(appId)) } : {}),
    ...(input.appSecret !== undefined ? { appSecret: deps.seal(input.appSecret, SEAL_CONTEXT.appSecret(appId)) } : {}),
  });
  if (outcome === 'conflict') throw new RequestError(409, 'appId', `Zalo app ${appId} belongs to another tenant`);
  const app = await deps.store.getZaloApp(appId);
  return { created: outcome === 'created', pending: app?.oaSecretKey === undefined, pendingKept: app?.pendingKept ?? 0 };
};

export const setEsmsAccount = async (deps: AdminDeps, tenant: string, account: { apiKey: string; secretKey: string }) => {
  await existing(deps, tenant);
  await deps.store.putEsmsAccount(tenant, deps.seal(JSON.stringify(account), SEAL_CONTEXT.esmsAccount(tenant)), deps.now());
};

export const putSiteCode = async (deps: AdminDeps, tenant: string, code: string) => {
  await existing(deps, tenant);
  const outcome = await deps.store.putSiteCode(code, tenant);
  if (outcome === 'conflict') throw new RequestError(409, 'code', `code ${code} belongs to another tenant`);
  return { created: outcome === 'created' };
};

export const deleteSiteCode = async (deps: AdminDeps, tenant: string, code: string) => {
  await existing(deps, tenant);
  if (!(await deps.store.deleteSiteCode(code, tenant))) throw new RequestError(404, 'code', `tenant ${tenant} has no code ${code}`);
};
