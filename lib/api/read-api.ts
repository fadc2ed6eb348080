/** The read API's fixed shape: bearer key → caller (tenant) → handler → JSON, errors mapped in one place. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { header } from '../http/request';
import { errorResponse, json } from '../http/response';
import { bearer } from '../secret-compare';
import { daysBetween, isCalendarDay } from '../time';
import { RawAnswer } from './csv';

/** Who is reading: every read is scoped to one tenant's records. */
export interface Caller {
  tenant: string;
  /** An admin key without `tenant=` on a route built with `everyTenant` (then `tenant` is empty). */
  everyTenant?: true;
}

/** The answer to a missing or unknown bearer key, the same on every keyed route. */
export const unauthorized = (): APIGatewayProxyStructuredResultV2 => {
  const refused = errorResponse(new RequestError(401, 'Authorization', 'missing or invalid bearer key'));
  return { ...refused, headers: { ...refused.headers, 'www-authenticate': 'Bearer' } };
};

type ReadHandler = (event: APIGatewayProxyEventV2, caller: Caller) => Promise<unknown>;

/** Whose key it is: a tenant's, or an admin key (which reads the tenant named by `tenant=`). */
export type KeyOwner = { admin: true } | { admin?: false; tenant: string };

const TENANT_PARAM = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** The caller an owner reads as: an admin key must name the tenant (`400` without it). */
const callerOfOwner = (owner: KeyOwner, event: APIGatewayProxyEventV2, everyTenant = false): Caller => {
  if (!owner.admin) return { tenant: owner.tenant };
  const tenant = event.queryStringParameters?.tenant;
  if (!tenant && everyTenant) return { tenant: '', everyTenant: true };
  if (!tenant) throw new RequestError(400, 'tenant', 'an admin key reads one tenant at a time: add tenant=<id>');
  if (!TENANT_PARAM.test(tenant)) throw new RequestError(400, 'tenant', 'tenant must match ^[a-z0-9][a-z0-9-]{1,62}$');
  return { tenant };
};

/** `ownerOf` resolves a bearer key (env keys in constant time, then the registry) to its owner, or undefined. */
/** With `everyTenant`, an admin key without `tenant=` reads every tenant (the handler sees `caller.everyTenant`). */
export const buildReadApi = (ownerOf: (key: string | undefined) => KeyOwner | undefined | Promise<KeyOwner | undefined>) => (handle: ReadHandler, options: { everyTenant?: boolean } = {}) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const owner = await ownerOf(bearer(header(event, 'authorization')));
      if (owner === undefined) return unauthorized();
      const caller = callerOfOwner(owner, event, options.everyTenant);
      const answer = await handle(event, caller);
      return answer instanceof RawAnswer ? answer.response : json(200, { ok: true, ...(answer as object) });
    } catch (error) {
      return errorResponse(error);
    }
  };

/** A required path parameter, refused with a 400 naming it when absent or oversized. */
export const pathParam = (event: APIGatewayProxyEventV2, name: string, maxLength = 128): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new RequestError(400, name, `path parameter ${name} is required`);
  if (value.length > maxLength) throw new RequestError(400, name, `${name} is longer than ${maxLength} characters`);
  return value;
};

/** A YYYY-MM-DD query parameter (a real calendar date), or `fallback` when absent. */
export const dayParam = (event: APIGatewayProxyEventV2, name: string, fallback: string): string => {
  const value = event.queryStringParameters?.[name] ?? fallback;
  if (!isCalendarDay(value)) throw new RequestError(400, name, `${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value.slice(0, 40))}`);
  return value;
};

export const MAX_RANGE_DAYS = 93;

/** `from`/`to` days (both included, `to` defaulting to `from`), at most 93 of them. */
export const dayRangeParams = (event: APIGatewayProxyEventV2, today: string): { from: string; to: string; days: string[] } => {
  const from = dayParam(event, 'from', today);
  const to = dayParam(event, 'to', from);
  if (to < from) throw new RequestError(400, 'to', `to (${to}) is before from (${from})`);
  const days = daysBetween(from, to);
  if (days.length > MAX_RANGE_DAYS) throw new RequestError(400, 'to', `at most ${MAX_RANGE_DAYS} days per request (from ${from} to ${to} is ${days.length})`);
  return { from, to, days };
};

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** `limit` (1–1000, default 100) and the `next` cursor of the previous page. */
export const listParams = (event: APIGatewayProxyEventV2): { limit: number; next: string | undefined } => {
  const text = event.queryStringParameters?.limit;
  const limit = text === undefined ? DEFAULT_LIMIT : Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RequestError(400, 'limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const next = event.queryStringParameters?.next;
  return { limit, next: next === '' ? undefined : next };
};
