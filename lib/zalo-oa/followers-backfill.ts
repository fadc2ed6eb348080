/**
 * Followers from Zalo's own list: an OA connected after it already had followers never sent us their
 * `follow` events, so the backfill pages through `/v3.0/oa/user/getlist` (50 a page, offset-based) with
 * the OA's access token and merges each listed user as "following as of the listing's start" (`asOf`).
 * The merge is the events' own rule, newest wins (lib/zalo/state.ts `changeOrder`): a follow/unfollow
 * event after `asOf` beats the listing whichever arrives first, and the listing beats any event before
 * `asOf` (a user who unfollowed, then followed again while we were not connected, is listed: following).
 * Users not listed are left as they are: an offset listing can skip entries while the list changes, so
 * absence proves nothing. Jobs are resumable (the next offset is stored after every page), bounded per run
 * by the caller's time budget, and paced under Zalo's rate limit.
 */
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { BackfillJob } from '../table/oauth';
import type { BackfillJobStore, FollowerBackfillWriter, TokenStore } from './ports';
import type { ZaloOpenApi } from './ports';
import { changeOrder } from '../zalo/state';
import { openAccessToken } from './tokens';
import type { TokenKeys } from '../seal';

/** getlist's largest page. */
export const BACKFILL_PAGE_SIZE = 50;
/** Between pages: a few requests a second, well under Zalo's per-OA OpenAPI limits. */
export const BACKFILL_PAUSE_MS = 250;

export interface BackfillDeps {
  jobs: Pick<BackfillJobStore, 'progress' | 'pending'>;
  tokens: Pick<TokenStore, 'get'>;
  tokenKey: TokenKeys;
  api: ZaloOpenApi;
  followers: FollowerBackfillWriter;
  now: () => number;
  log: Log;
  telemetry: Pick<Telemetry, 'count'>;
  /** False once no new page should be started (the function's time is running out). */
  hasTime: () => boolean;
  sleep?: (ms: number) => Promise<void>;
  pauseMs?: number;
}

/** The listing's claim, as an event order: rank 0 at `asOf`, so an unfollow of the same millisecond still wins. */
export const backfillOrder = (asOf: number): string => changeOrder(asOf, 0);

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error').slice(0, 300);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one job until it is done, fails, is restarted elsewhere, or time runs out; answers where it stopped. */
export const runBackfill = async (deps: BackfillDeps, start: BackfillJob): Promise<BackfillJob> => {
  let job = start;
  const sleep = deps.sleep ?? defaultSleep;
  const save = async (next: BackfillJob): Promise<boolean> => {
    job = next;
    return deps.jobs.progress(next);
  };
  while (!job.done && deps.hasTime()) {
    const record = await deps.tokens.get(job.tenant, job.oaId);
    if (!record || record.revokedAt !== undefined) {
      await save({ ...job, done: true, updatedAt: deps.now(), lastError: 'the OA is not connected' });
      break;
    }
    let page;
    try {
      page = await deps.api.followers(openAccessToken(deps.tokenKey, record), { offset: job.offset, count: BACKFILL_PAGE_SIZE });
    } catch (error) {
      // Left pending: the next run resumes at the same offset.
      deps.log.warn('zalo followers backfill page failed', { tenant: job.tenant, oaId: job.oaId, offset: job.offset, error: errorText(error) });
      await save({ ...job, updatedAt: deps.now(), lastError: errorText(error) });
      break;
    }
    const merged = await deps.followers.mergeListed(job.tenant, job.oaId, page.userIds, job.asOf, backfillOrder(job.asOf));
    deps.telemetry.count(METRICS.zaloFollowersBackfilled, {}, page.userIds.length);
    const offset = job.offset + page.userIds.length;
    const done = page.userIds.length < BACKFILL_PAGE_SIZE || offset >= page.total;
    const { lastError: _cleared, ...rest } = job;
    if (!(await save({ ...rest, offset, total: page.total, merged: job.merged + merged, done, updatedAt: deps.now() }))) {
      deps.log.info('zalo followers backfill restarted elsewhere', { tenant: job.tenant, oaId: job.oaId });
      break;
    }
    if (!done) await sleep(deps.pauseMs ?? BACKFILL_PAUSE_MS);
  }
  deps.log.info('zalo followers backfill', { tenant: job.tenant, oaId: job.oaId, offset: job.offset, total: job.total, merged: job.merged, done: job.done });
  return job;
};

/** The scheduled run: every pending job, one after the other, within the time budget. */
export const runPendingBackfills = async (deps: BackfillDeps): Promise<BackfillJob[]> => {
  const results: BackfillJob[] = [];
  for (const job of await deps.jobs.pending()) {
    if (!deps.hasTime()) break;
    results.push(await runBackfill(deps, job));
  }
  return results;
};

/** What a scheduled run answers per job: where it stands, without its error text. */
export const jobSummary = ({ tenant, oaId, offset, merged, done }: BackfillJob) => ({ tenant, oaId, offset, merged, done });
