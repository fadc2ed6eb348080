import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { rawBody } from '../http/request';
import { runInLanes } from '../lanes';
import { replayOne, type ReplayDeps, type ReplayResult } from '../replay/replay';
import { isCalendarDay } from '../time';
import type { AnswerBody } from './answers';
import type { Caller } from './read-api';

const MAX_ITEMS = 500;
/** A day is replayed a page at a time (each entry is a store and a mark): the answer's `next` continues it. */
const DAY_PAGE = 200;
const CONCURRENCY = 8;

export const ReplayRequestSchema = v.union([
  v.object({ ids: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(1), v.maxLength(MAX_ITEMS)), force: v.optional(v.boolean()) }),
  v.object({
    day: v.pipe(v.string(), v.check(isCalendarDay, 'day must be a date YYYY-MM-DD')),
    next: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    force: v.optional(v.boolean()),
  }),
]);

const readRequest = (event: APIGatewayProxyEventV2) => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody(event) || '{}');
  } catch {
    throw new RequestError(400, 'body', 'body must be JSON: {"day":"YYYY-MM-DD"} or {"ids":["…"]}');
  }
  const parsed = v.safeParse(ReplayRequestSchema, body);
  if (!parsed.success) throw new RequestError(400, 'body', `expected {"day":"YYYY-MM-DD","next"?:"…"} or {"ids":[1..${MAX_ITEMS} ids]}, optional "force": true`);
  return parsed.output;
};


/**
 * POST /api/replay: re-runs rejected requests (by id, or a Vietnam-time day page by page) through today's
 * parsers, and answers each one's outcome.
 */
export const replayRejected = (deps: ReplayDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Replay'>> => {
  const request = readRequest(event);
  let next: string | undefined;
  let items: Array<{ id: string; item: Awaited<ReturnType<ReplayDeps['rejected']['get']>> }>;
  if ('ids' in request) {
    items = await Promise.all(request.ids.map(async (id) => ({ id, item: await deps.rejected.get(caller.tenant, id) })));
  } else {
    const page = await deps.rejected.listDay(caller.tenant, request.day, DAY_PAGE, request.next);
    items = page.items.map((item) => ({ id: item.sk, item }));
    next = page.next;
  }
  const settled = await runInLanes(items, CONCURRENCY, async ({ id, item }): Promise<ReplayResult> =>
    item ? replayOne(deps, item, request.force ?? false) : { id, source: 'unknown', outcome: 'skipped', message: 'no rejected entry with this id' });
  // A storage failure fails the request (5xx: retry later), as it did before lanes.
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<ReplayResult>).value);
  const summary = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
  return { summary, results, ...(next !== undefined && { next }) };
};
