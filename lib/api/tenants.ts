/**
 * The tenant registry's admin routes (contract: "Tenants"). Each is an AdminHandler behind buildAdminApi
 * (admin key only); the operations are lib/tenants/admin.ts.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import type { DrainResult } from '../tenants/drain';
import type { Tenant, ZaloAppRemoval } from '../tenants/ports';
import type { ZaloAppDirectory } from '../zalo/ports';
import { vietnamIso } from '../time';
import {
  createApiKey, createEsmsToken, createTenant, deleteSiteCode, putSiteCode, putZaloApp, revokeCredential, setEsmsAccount, type AdminDeps,
} from '../tenants/admin';
import { readBody, TenantId, type AdminHandler } from './admin';
import { pageList } from './paging';
import { listParams, pathParam } from './read-api';

const Secret = (name: string) => v.pipe(v.string(), v.trim(), v.minLength(1, `${name} must not be empty`), v.maxLength(512, `${name} is longer than 512 characters`));

export const CreateTenantSchema = v.strictObject({
  id: TenantId,
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  /** Days its eSMS messages are kept (TTL from first seen); absent: MESSAGE_RETENTION_DAYS. */
  retentionDays: v.optional(v.pipe(v.number(), v.integer('retentionDays must be a whole number'), v.minValue(1, 'retentionDays must be at least 1'), v.maxValue(3650, 'retentionDays must be at most 3650'))),
});
export const ZaloAppBodySchema = v.strictObject({ oaSecretKey: v.optional(Secret('oaSecretKey')), appSecret: v.optional(Secret('appSecret')) });
export const EsmsAccountBodySchema = v.strictObject({ apiKey: Secret('apiKey'), secretKey: Secret('secretKey') });

const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CODE = /^[A-Za-z0-9_-]{1,128}$/;

const tenantParam = (event: APIGatewayProxyEventV2): string => {
  const id = pathParam(event, 'id', 63);
  if (!v.is(TenantId, id)) throw new RequestError(400, 'id', 'tenant must match ^[a-z0-9][a-z0-9-]{1,62}$');
  return id;
};

const shaped = (event: APIGatewayProxyEventV2, name: string, shape: RegExp): string => {
  const value = pathParam(event, name);
  if (!shape.test(value)) throw new RequestError(400, name, `${name} must match ${String(shape)}`);
  return value;
};

/** Where eSMS should call: PUBLIC_BASE_URL, else the host this request reached (https unless local). */
export const baseUrlOf = (event: APIGatewayProxyEventV2, configured: string | undefined): string => {
  if (configured) return configured;
  const host = event.requestContext?.domainName || 'localhost:3000';
  return `${/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https'}://${host}`;
};

export const createTenantRoute = (deps: AdminDeps): AdminHandler<'Tenant'> => async (event) => {
  const body = readBody(event, CreateTenantSchema);
  const tenant = await createTenant(deps, { id: body.id, name: body.name ?? body.id, retentionDays: body.retentionDays });
  return { status: 201, body: { tenant: tenantView(tenant) } };
};

const tenantView = (tenant: Tenant) => ({
  id: tenant.id, name: tenant.name, createdAt: vietnamIso(tenant.createdAt), ...(tenant.retentionDays !== undefined && { retentionDays: tenant.retentionDays }),
  ...(tenant.suspended === true && { suspended: true }),
});

/** GET /api/admin/tenants?limit&next: the registry's tenants by id (`default` lives in the settings, not here). */
export const listTenantsRoute = (deps: AdminDeps): AdminHandler<'Tenants'> => async (event) => {
  const { limit, next } = listParams(event);
  const page = pageList(await deps.store.listTenants(), (tenant) => tenant.id, limit, next);
  return { body: { tenants: page.items.map(tenantView), ...(page.next !== undefined && { next: page.next }) } };
};

export const createApiKeyRoute = (deps: AdminDeps): AdminHandler<'ApiKeyCreated'> => async (event) => ({ status: 201, body: { tenant: tenantParam(event), ...(await createApiKey(deps, tenantParam(event))) } });

export const revokeApiKeyRoute = (deps: AdminDeps): AdminHandler<'Revoked'> => async (event) => {
  const keyId = pathParam(event, 'keyId', 40);
  await revokeCredential(deps, 'api-key', tenantParam(event), keyId);
  return { body: { revoked: keyId } };
};

export const createEsmsTokenRoute = (deps: AdminDeps, publicBaseUrl: string | undefined): AdminHandler<'EsmsTokenCreated'> => async (event) =>
  ({ status: 201, body: { tenant: tenantParam(event), ...(await createEsmsToken(deps, tenantParam(event), baseUrlOf(event, publicBaseUrl))) } });

export const revokeEsmsTokenRoute = (deps: AdminDeps): AdminHandler<'Revoked'> => async (event) => {
  const tokenId = pathParam(event, 'tokenId', 40);
  await revokeCredential(deps, 'esms-token', tenantParam(event), tokenId);
  return { body: { revoked: tokenId } };
};

/** What the Zalo app routes need besides the registry: the drain of the app's pending requests. */
export type DrainApp = (appId: string) => Promise<DrainResult | undefined>;

/** PUT …/zalo-apps/{appId} {oaSecretKey?, appSecret?}: 201 registered, 200 updated; with a key, drains. */
export const putZaloAppRoute = (deps: AdminDeps, drain: DrainApp): AdminHandler<'ZaloApp'> => async (event) => {
  const tenant = tenantParam(event);
  const appId = shaped(event, 'appId', APP_ID);
  const body = readBody(event, ZaloAppBodySchema);
  const app = await putZaloApp(deps, tenant, appId, body);
  const drained = app.pending ? undefined : await drain(appId);
  return { status: app.created ? 201 : 200, body: { tenant, appId, pending: app.pending, pendingKept: app.pendingKept, ...(drained ? { drain: drained } : {}) } };
};

/**
 * POST …/zalo-apps/{appId}/drain: goes on with a drain that answered `incomplete`, or drains an app of the
 * settings once its key is in `ZALO_APPS` (nothing else tells it that the key arrived). `apps` finds the
 * app where its requests are resolved (the settings first, then the registry).
 */
export const drainZaloAppRoute = (apps: ZaloAppDirectory, drain: DrainApp): AdminHandler<'ZaloAppDrain'> => async (event) => {
  const tenant = tenantParam(event);
  const appId = shaped(event, 'appId', APP_ID);
  const app = await apps.find(appId);
  if (!app || app.tenant !== tenant) throw new RequestError(404, 'appId', `tenant ${tenant} has no Zalo app ${appId}`);
  const drained = app.secret === undefined ? undefined : await drain(appId);
  if (!drained) throw new RequestError(409, 'appId', `Zalo app ${appId} is pending: configure its oaSecretKey first`);
  return { body: { tenant, appId, drain: drained } };
};

/**
 * DELETE …/zalo-apps/{appId}: removes a registry app of the tenant with its sealed keys and what it kept while
 * pending, in bounded calls (`incomplete: true`: call again). Its webhook events are then an unknown app's
 * (kept raw, counted, alarmed: docs/tenants.md) once the registry cache forgets it.
 */
export const deleteZaloAppRoute = (removal: ZaloAppRemoval, budgetItems: number): AdminHandler<'ZaloAppDeleted'> => async (event) => {
  const tenant = tenantParam(event);
  const appId = shaped(event, 'appId', APP_ID);
  if (!(await removal.hasZaloApp(tenant, appId))) throw new RequestError(404, 'appId', `tenant ${tenant} has no Zalo app ${appId} in the registry`);
  const { deleted, done } = await removal.removeZaloApp(tenant, appId, budgetItems);
  return { body: { tenant, appId, changed: deleted, ...(!done && { incomplete: true as const }) } };
};

export const putEsmsAccountRoute = (deps: AdminDeps): AdminHandler<'TenantOnly'> => async (event) => {
  const tenant = tenantParam(event);
  await setEsmsAccount(deps, tenant, readBody(event, EsmsAccountBodySchema));
  return { body: { tenant } };
};

export const putSiteCodeRoute = (deps: AdminDeps): AdminHandler<'SiteCode'> => async (event) => {
  const tenant = tenantParam(event);
  const code = shaped(event, 'code', CODE);
  const { created } = await putSiteCode(deps, tenant, code);
  return { status: created ? 201 : 200, body: { tenant, code } };
};

export const deleteSiteCodeRoute = (deps: AdminDeps): AdminHandler<'SiteCodeDeleted'> => async (event) => {
  const tenant = tenantParam(event);
  const code = shaped(event, 'code', CODE);
  await deleteSiteCode(deps, tenant, code);
  return { body: { tenant, code, deleted: true } };
};
