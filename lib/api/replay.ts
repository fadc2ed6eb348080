import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../http/errors';
import { rawBody } from '../http/request';
import { replayOne, type ReplayDeps, type ReplayResult } from '../replay/replay';

const MAX_ITEMS = 500;

export const ReplayRequestSchema = v.union([
  v.object({ ids: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(1), v.maxLength(MAX_ITEMS)), force: v.optional(v.boolean()) }),
  v.object({ day: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)), force: v.optional(v.boolean()) }),
]);

const readRequest = (event: APIGatewayProxyEventV2) => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody(event) || '{}');
  } catch {
    throw new RequestError(400, 'body', 'body must be JSON: {"day":"YYYY-MM-DD"} or {"ids":["…"]}');
  }
  const parsed = v.safeParse(ReplayRequestSchema, body);
  if (!parsed.success) throw new RequestError(400, 'body', `expected {"day":"YYYY-MM-DD"} or {"ids":[1..${MAX_ITEMS} ids]}, optional "force": true`);
  return parsed.output;
};

/** POST /api/replay: re-runs rejected requests (by id, or a whole Vietnam-time day) through today's parsers. */
export const replayRejected = (deps: ReplayDeps) => async (event: APIGatewayProxyEventV2) => {
  const request = readRequest(event);
  const items = 'ids' in request
    ? await Promise.all(request.ids.map(async (id) => ({ id, item: await deps.rejected.get(id) })))
    : (await deps.rejected.listDay(request.day, MAX_ITEMS)).map((item) => ({ id: item.sk, item }));
  const results: ReplayResult[] = [];
  for (const { id, item } of items) {
    if (!item) {
      results.push({ id, source: 'unknown', outcome: 'skipped', message: 'no rejected entry with this id' });
      continue;
    }
    results.push(await replayOne(deps, item, request.force ?? false));
  }
  const summary = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
  return { summary, results };
};
