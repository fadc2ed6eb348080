/**
 * The tenant lifecycle's admin routes (issue 23): a tenant with its credential inventory, and its update
 * (name, retention, suspension). Behind buildAdminApi (admin key only); the operations are lib/tenants/lifecycle.ts.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { tenantInventory, updateTenant, type LifecycleDeps, type TenantInventory } from '../tenants/lifecycle';
import { offboardTenant, type OffboardDeps } from '../tenants/offboard';
import type { Tenant } from '../tenants/ports';
import { vietnamIso } from '../time';
import { readBody, TenantId, type AdminHandler } from './admin';
import { CreateTenantSchema } from './tenants';
import { pathParam } from './read-api';

export const PatchTenantSchema = v.pipe(
  v.strictObject({ name: CreateTenantSchema.entries.name, retentionDays: CreateTenantSchema.entries.retentionDays, suspended: v.optional(v.boolean()) }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of name, retentionDays, suspended'),
);

const tenantParam = (event: APIGatewayProxyEventV2): string => {
  const id = pathParam(event, 'id', 63);
  if (!v.is(TenantId, id)) throw new RequestError(400, 'id', 'tenant must match ^[a-z0-9][a-z0-9-]{1,62}$');
  return id;
};

const tenantView = (tenant: Tenant) => ({
  id: tenant.id, name: tenant.name, createdAt: vietnamIso(tenant.createdAt), suspended: tenant.suspended === true,
  ...(tenant.retentionDays !== undefined && { retentionDays: tenant.retentionDays }),
});

/** `null`: not used since last-used times began to be recorded (they are accurate to the hour). */
const lastUsed = (at: number | undefined) => (at === undefined ? null : vietnamIso(at));

const inventoryView = (inventory: TenantInventory) => ({
  tenant: tenantView(inventory.tenant),
  credentials: {
    apiKeys: inventory.apiKeys.map((key) => ({ keyId: key.keyId, createdAt: vietnamIso(key.createdAt), lastUsedAt: lastUsed(key.lastUsedAt) })),
    esmsTokens: inventory.esmsTokens.map((token) => ({ tokenId: token.tokenId, createdAt: vietnamIso(token.createdAt), lastUsedAt: lastUsed(token.lastUsedAt) })),
    zaloApps: inventory.zaloApps.map((app) => ({ ...app, createdAt: vietnamIso(app.createdAt), lastUsedAt: lastUsed(app.lastUsedAt) })),
    destinations: inventory.destinations.map((destination) => ({ ...destination, createdAt: vietnamIso(destination.createdAt) })),
  },
});

/** GET /api/admin/tenants/{id}: the tenant and its credentials (ids and times, never a secret). */
export const getTenantRoute = (deps: LifecycleDeps): AdminHandler<'TenantInventory'> => async (event) => ({ body: inventoryView(await tenantInventory(deps, tenantParam(event))) });

/** PATCH /api/admin/tenants/{id} {name?, retentionDays?, suspended?}: the tenant as changed. */
export const patchTenantRoute = (deps: LifecycleDeps): AdminHandler<'TenantPatched'> => async (event) => {
  const id = tenantParam(event);
  const body = readBody(event, PatchTenantSchema);
  const { tenant, keysChanged } = await updateTenant(deps, id, body);
  return { body: { tenant: tenantView(tenant), ...(body.suspended !== undefined && { apiKeysChanged: keysChanged }) } };
};

/**
 * DELETE /api/admin/tenants/{id}?confirm={id}[&limit=n]: offboards the tenant in bounded calls
 * (`{changed, incomplete}`; `incomplete: true` means call again).
 */
export const deleteTenantRoute = (deps: OffboardDeps): AdminHandler<'Offboard'> => async (event) => {
  const id = tenantParam(event);
  const limit = event.queryStringParameters?.limit;
  // `limit` narrows one call's deletions below the deployment's budget (never above it).
  if (limit !== undefined && !(/^\d{1,6}$/.test(limit) && Number(limit) >= 1)) throw new RequestError(400, 'limit', 'limit must be a whole number ≥ 1');
  const budgetItems = limit === undefined ? deps.budgetItems : Math.min(deps.budgetItems, Number(limit));
  return { body: { tenant: id, ...(await offboardTenant({ ...deps, budgetItems }, id, event.queryStringParameters?.confirm)) } };
};
