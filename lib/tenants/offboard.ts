/**
 * Offboarding a tenant (DELETE /api/admin/tenants/{id}?confirm={id}, issue 23), in bounded calls. The first
 * call marks the tenant offboarding (and suspended) and removes its credentials: API keys fail from the next
 * request, eSMS tokens within the registry cache's TTL. Every call then deletes its records from where the
 * last one stopped (a cursor kept on the tenant item) for at most `budgetItems` deletions: the messages
 * table, then, `settleMs` later, the counters table (the aggregator moves them by the deletions meanwhile);
 * the last call removes the tenant item itself. `incomplete` means call again; a call after the last one is a 404.
 */
import * as v from 'valibot';
import { RequestError } from '../errors';
import { DEFAULT_TENANT } from '../table/names';
import type { OffboardStore } from './ports';

export interface OffboardDeps {
  store: OffboardStore;
  now: () => number;
  /** How long after the messages table is swept its counters are (the aggregator's lag, with margin). */
  settleMs: number;
  /** Deletions one call makes at most (the sweep's pages may read more than they delete). */
  budgetItems: number;
  /** True once the call's time is spent (the HTTP API gives 30 s). */
  outOfTime: () => boolean;
}

export interface OffboardResult {
  changed: number;
  incomplete: boolean;
}

const ProgressSchema = v.object({ sweep: v.optional(v.string()), countersAfter: v.optional(v.number()) });

/** The tenant item's progress: the store's sweep cursor and when the counters may be swept. */
const readCursor = (text: string | undefined): { sweep: string | undefined; countersAfter: number | undefined } => {
  if (text === undefined) return { sweep: undefined, countersAfter: undefined };
  const parsed = v.parse(ProgressSchema, JSON.parse(text));
  return { sweep: parsed.sweep, countersAfter: parsed.countersAfter };
};

export const offboardTenant = async (deps: OffboardDeps, tenant: string, confirm: string | undefined): Promise<OffboardResult> => {
  if (tenant === DEFAULT_TENANT) throw new RequestError(409, 'id', `tenant ${DEFAULT_TENANT} is the settings' tenant: it cannot be deleted`);
  if (confirm !== tenant) throw new RequestError(400, 'confirm', `add confirm=${tenant} to delete tenant ${tenant} and every record of it`);
  const state = await deps.store.state(tenant);
  if (!state) throw new RequestError(404, 'id', `no tenant ${tenant}`);
  if (!state.offboarding) await deps.store.markOffboarding(tenant);

  let changed = 0;
  const registry = await deps.store.removeRegistryItems(tenant, deps.budgetItems);
  changed += registry.deleted;
  if (!registry.done) return { changed, incomplete: true };

  let { sweep, countersAfter } = readCursor(state.cursor);
  const save = () => deps.store.saveCursor(tenant, JSON.stringify({ sweep, countersAfter }));
  for (;;) {
    // The messages table's deletions reach the aggregator as stream records after the sweep, and it moves
    // the tenant's counters by them: the counters are deleted only once that has settled.
    const settling = countersAfter !== undefined && deps.now() < countersAfter;
    if (changed >= deps.budgetItems || deps.outOfTime() || settling) {
      await save();
      return { changed, incomplete: true };
    }
    const step = await deps.store.sweep(tenant, sweep, deps.budgetItems - changed);
    changed += step.deleted;
    if (step.messagesDone) countersAfter = deps.now() + deps.settleMs;
    if (step.next === undefined) break;
    sweep = step.next;
  }
  await deps.store.removeTenant(tenant);
  return { changed: changed + 1, incomplete: false };
};
