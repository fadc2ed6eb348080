/**
 * The admin API: `Authorization: Bearer <admin key>` (ADMIN_API_KEYS); a tenant's key is refused with 403,
 * no key or an unknown one with 401. Operations across tenants live here.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import type { LateSweepResult } from '../esms/late-sweep';
import { header, rawBody } from '../http/request';
import { errorResponse, json } from '../http/response';
import { bearer } from '../secret-compare';
import type { ReconcileResult } from '../reconcile/reconcile';
import { vietnamIso } from '../time';
import type { AnswerBody, AnswerName } from './answers';
import { unauthorized } from './read-api';

export type KeyKind = 'admin' | 'tenant' | undefined;

/** An admin route: its success status (200 when absent) and body, typed by its answer schema (lib/api/answers.ts). */
export type AdminHandler<N extends AnswerName = AnswerName> = (event: APIGatewayProxyEventV2) => Promise<{ status?: 200 | 201 | 202; body: AnswerBody<N> }>;

export const buildAdminApi = (kindOf: (key: string | undefined) => KeyKind | Promise<KeyKind>) => (handle: AdminHandler) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const kind = await kindOf(bearer(header(event, 'authorization')));
      if (kind === undefined) return unauthorized();
      if (kind !== 'admin') throw new RequestError(403, 'Authorization', 'this route needs an admin key');
      const { status = 200, body } = await handle(event);
      return json(status, { ok: true, ...body });
    } catch (error) {
      return errorResponse(error);
    }
  };

export const TenantId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'tenant must match ^[a-z0-9][a-z0-9-]{1,62}$'));
const Instant = v.pipe(v.string(), v.maxLength(40), v.check((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 instant'), v.transform(Date.parse));

export const WindowSchema = v.object({ tenant: v.optional(TenantId, 'default'), from: v.optional(Instant), to: v.optional(Instant) });

export const readBody = <T extends v.GenericSchema>(event: APIGatewayProxyEventV2, schema: T): v.InferOutput<T> => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody(event) || '{}');
  } catch {
    throw new RequestError(400, 'body', 'body must be a JSON object');
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    const [issue] = parsed.issues;
    const field = issue.path?.map((item) => String(item.key)).join('.') || 'body';
    throw new RequestError(400, field, `${field}: ${issue.message}`);
  }
  return parsed.output;
};

/** The longest window one call may cover: eSMS's status APIs answer for the last 7 days only. */
const MAX_WINDOW_MS = 7 * 86_400_000;

export interface ReconcileRoute {
  /** The tenant's eSMS account, or undefined when none is configured (409). */
  account(tenant: string): Promise<{ apiKey: string; secretKey: string } | undefined>;
  run(tenant: string, account: { apiKey: string; secretKey: string }, window: { fromMs: number; toMs: number }): Promise<ReconcileResult>;
  now(): number;
}

/** POST /api/admin/reconcile {"tenant","from","to"}: default window the last 24 hours. */
export const reconcileRoute = (deps: ReconcileRoute): AdminHandler<'Reconcile'> => async (event) => {
  const body = readBody(event, WindowSchema);
  const toMs = body.to ?? deps.now();
  const fromMs = body.from ?? toMs - 86_400_000;
  if (toMs < fromMs) throw new RequestError(400, 'to', 'to is before from');
  if (toMs - fromMs > MAX_WINDOW_MS) throw new RequestError(400, 'to', 'a window covers at most 7 days (eSMS keeps status for 7 days)');
  const account = await deps.account(body.tenant);
  if (!account) throw new RequestError(409, 'tenant', `tenant ${body.tenant} has no eSMS account for reconciliation`);
  return { body: { tenant: body.tenant, from: vietnamIso(fromMs), to: vietnamIso(toMs), ...(await deps.run(body.tenant, account, { fromMs, toMs })) } };
};

/** The longest window one late-sweep call may cover (the read API's range limit). */
const MAX_SWEEP_MS = 93 * 86_400_000;
/** `to` alone sweeps what the hourly schedule covers before it. */
const DEFAULT_SWEEP_SPAN_MS = 26 * 3600_000;

/**
 * POST /api/admin/late-sweep {"tenant","from","to"}: expires late messages now (the schedule does it
 * hourly). No window: the schedule's. `to` alone: the 26 hours before it; `from` alone: up to now. Any
 * window is at most 93 days (a day is one Query per index bucket, so an open start walked 20,000 days).
 */
export const lateSweepRoute = (run: (tenant: string, window?: { fromMs: number; toMs: number }) => Promise<LateSweepResult>, now: () => number = Date.now): AdminHandler<'LateSweep'> => async (event) => {
  const body = readBody(event, WindowSchema);
  if (body.from === undefined && body.to === undefined) return { body: { tenant: body.tenant, ...(await run(body.tenant)) } };
  const toMs = body.to ?? now();
  const fromMs = body.from ?? toMs - DEFAULT_SWEEP_SPAN_MS;
  const field = body.to === undefined ? 'from' : 'to';
  if (toMs < fromMs) throw new RequestError(400, field, body.to === undefined ? 'from is in the future' : 'to is before from');
  if (toMs - fromMs > MAX_SWEEP_MS) throw new RequestError(400, field, 'a window covers at most 93 days');
  return { body: { tenant: body.tenant, ...(await run(body.tenant, { fromMs, toMs })) } };
};
