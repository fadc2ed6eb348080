/**
 * The drain of a Zalo app that was pending: once its OA Secret Key is configured, every request kept while
 * it was pending is verified with that key as of its own arrival (`now` = receivedAt), the valid ones are
 * ingested in arrival order and the rest discarded. A page is ingested first and settled after (its items
 * removed and the counts added in one transaction), so a crash in between re-ingests that page on the
 * next run, which storage answers as duplicates: nothing is lost and nothing is counted twice.
 */
import { RequestError } from '../errors';
import type { Log } from '../observability/ports';
import { SEAL_CONTEXT } from '../table/registry';
import type { PendingZaloRequest, ZaloAppDirectory } from '../zalo/ports';
import { verifyZaloRequest } from '../zalo/signature';
import type { PendingDrainStore, RegistryStore, StoredZaloApp } from './ports';

export interface DrainDeps {
  pending: PendingDrainStore;
  /** The app's totals as stored (after the run). */
  app: (appId: string) => Promise<Pick<StoredZaloApp, 'drainedIngested' | 'drainedDiscarded'> | undefined>;
  /** Throws (a RequestError) when the request is not validly signed with `secret` at its own arrival time. */
  verify: (request: PendingZaloRequest, appId: string, secret: string) => void;
  /** Stores a verified request through the webhook's own ingestion (idempotent by event key). */
  ingest: (request: PendingZaloRequest) => Promise<unknown>;
  /** True when the run must stop (the caller answers `incomplete`; a rerun goes on). */
  outOfTime: () => boolean;
  /** Requests per page (and per settling transaction: at most 99 besides the app item). */
  pageSize?: number;
}

export interface DrainResult {
  /** Totals of every drain run of this app. */
  ingested: number;
  discarded: number;
  /** This run stopped before the end: run it again (POST …/zalo-apps/{appId}/drain). */
  incomplete: boolean;
}

const isRefusal = (error: unknown) => error instanceof RequestError;

export const drainPendingApp = async (deps: DrainDeps, appId: string, secret: string): Promise<DrainResult> => {
  const pageSize = Math.min(deps.pageSize ?? 25, 99);
  let incomplete = false;
  for (;;) {
    if (deps.outOfTime()) {
      incomplete = true;
      break;
    }
    const page = await deps.pending.oldest(appId, pageSize);
    if (page.length === 0) break;
    const counts = { ingested: 0, discarded: 0 };
    for (const request of page) {
      let valid = true;
      try {
        deps.verify(request, appId, secret);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        valid = false;
      }
      if (!valid) {
        counts.discarded += 1;
        continue;
      }
      try {
        await deps.ingest(request);
        counts.ingested += 1;
      } catch (error) {
        // Signed but refused by ingestion (e.g. a body it cannot read): nothing to keep it for.
        if (!isRefusal(error)) throw error;
        counts.discarded += 1;
      }
    }
    // Another drain settled some of this page first: it counted them; stop and let a rerun go on.
    if (!(await deps.pending.settle(appId, page.map((request) => request.id), counts))) {
      incomplete = true;
      break;
    }
  }
  const totals = await deps.app(appId);
  return { ingested: totals?.drainedIngested ?? 0, discarded: totals?.drainedDiscarded ?? 0, incomplete };
};

export interface AppDrainerDeps {
  registry: Pick<RegistryStore, 'getZaloApp'>;
  /** The apps the settings configure (tenant `default`), which come before the registry's. */
  settingsApps?: ZaloAppDirectory;
  pending: PendingDrainStore;
  /** Opens the app's sealed OA Secret Key. */
  open: (sealed: string, context: string) => string;
  /** The webhook's ingestion of a verified request, under the app's tenant. */
  ingest: (tenant: string, request: PendingZaloRequest) => Promise<unknown>;
  /** A fresh time budget per drain: true while the run may take another page. */
  budget: () => () => boolean;
  log: Pick<Log, 'info'>;
}

/** The app's tenant and key as of now: the settings' own, else read from the registry (not from a cache). */
const keyed = async (deps: AppDrainerDeps, appId: string): Promise<{ tenant: string; secret: string } | undefined> => {
  const fromSettings = await deps.settingsApps?.find(appId);
  if (fromSettings) return fromSettings.secret === undefined ? undefined : { tenant: fromSettings.tenant, secret: fromSettings.secret };
  const app = await deps.registry.getZaloApp(appId);
  return app?.oaSecretKey ? { tenant: app.tenant, secret: deps.open(app.oaSecretKey, SEAL_CONTEXT.oaSecretKey(appId)) } : undefined;
};

/**
 * The drain the Zalo app routes run once an app has its key: each kept request is verified with that key
 * as of its arrival and must be signed by this very app. Answers undefined while the app is still pending.
 */
export const buildAppDrainer = (deps: AppDrainerDeps) => async (appId: string): Promise<DrainResult | undefined> => {
  const app = await keyed(deps, appId);
  if (!app) return undefined;
  const { secret } = app;
  const hasTime = deps.budget();
  const result = await drainPendingApp({
    pending: deps.pending,
    app: (id) => deps.registry.getZaloApp(id),
    verify: (request, expectedApp, key) => {
      const verified = verifyZaloRequest({ rawBody: request.raw, headers: request.headers, secret: key, now: request.receivedAt });
      if (verified.appId !== expectedApp) throw new RequestError(401, 'app_id', 'kept under another app');
    },
    ingest: (request) => deps.ingest(app.tenant, request),
    outOfTime: () => !hasTime(),
  }, appId, secret);
  deps.log.info('zalo pending drain', { appId, ...result });
  return result;
};
