/**
 * The onboarding routes as HTTP: a redirect to Zalo's consent page that sets the flow's browser cookie,
 * and the callback's result page. These pages are read by a person in a browser, so errors are short HTML
 * pages; as everywhere, only caller errors show their message.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as v from 'valibot';
import { NotConfiguredError, RequestError, ZaloOAuthError, ZaloUnavailableError } from '../errors';
import { describeError, html, json } from '../http/response';
import { vietnamIso } from '../time';
import { ANSWERS, shaped } from './answers';
import { RawAnswer } from './csv';
import { METRICS } from '../observability/metric-names';
import { completeConnection, createConnectLink, startConnection, type ConnectDeps, type ConnectUrlDeps, type LinkDeps } from '../zalo-oa/connect';
import { flowCookieHeader, flowCookieOf } from '../zalo-oa/oauth-state';
import { resultPage } from '../zalo-oa/pages';
import { DEFAULT_TENANT } from '../table/names';
import type { BackfillJob } from '../table/oauth';
import type { BackfillJobStore, TokenStore } from '../zalo-oa/ports';
import { readBody, TenantId, type AdminHandler } from './admin';

type PageDeps = Pick<ConnectDeps, 'log' | 'telemetry'>;

const upstreamMessage = (error: unknown): string | undefined => {
  if (error instanceof ZaloOAuthError) return `Zalo refused the authorization (error ${error.code}). Start again from the connection link.`;
  if (error instanceof ZaloUnavailableError) return 'Zalo could not be reached; nothing was saved. Start again from the connection link in a minute.';
  return undefined;
};

const errorPage = (deps: PageDeps, error: unknown): APIGatewayProxyStructuredResultV2 => {
  deps.telemetry.count(METRICS.zaloOaConnectFailed);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  // The status and the words the caller may see come from the one mapping (lib/http/response.ts).
  const { status, message, field } = describeError(error);
  if (error instanceof NotConfiguredError) {
    deps.log.error('zalo oa connection not configured', { reason });
    return html(status, resultPage(false, message));
  }
  if (status < 500) {
    deps.log.warn('zalo oa connection refused', { status, field, reason });
    return html(status, resultPage(false, message));
  }
  if (status === 502) {
    deps.log.warn('zalo oauth failed', { reason });
    return html(status, resultPage(false, upstreamMessage(error) ?? (error instanceof Error ? error.message : 'Zalo failed.')));
  }
  deps.log.error('zalo oa connection failed', { reason });
  return html(status, resultPage(false, status === 503 ? 'Storage is unavailable; try again in a minute.' : 'Internal error.'));
};

/**
 * GET /zalo/oa-connect?link=…: the link the app's tenant issued, used once; 302 to Zalo's OA consent page,
 * with the cookie that binds the flow to this browser.
 */
export const oaConnect = (deps: ConnectUrlDeps & PageDeps) => async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const started = await startConnection(deps, { link: event.queryStringParameters?.link });
    return {
      statusCode: 302,
      headers: { location: started.location, 'cache-control': 'no-store', 'set-cookie': flowCookieHeader(started.cookie, started.callbackUrl) },
      body: '',
    };
  } catch (error) {
    return errorPage(deps, error);
  }
};

/** GET /zalo/oa-callback?oa_id&code&state: the "Official Account Callback Url" registered with Zalo. */
export const oaCallback = (deps: ConnectDeps) => async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const query = event.queryStringParameters ?? {};
  try {
    const cookie = flowCookieOf(event.cookies ?? []);
    const connected = await completeConnection(deps, { oaId: query.oa_id, code: query.code, state: query.state, cookie });
    const until = vietnamIso(connected.accessExpiresAt);
    const page = html(200, resultPage(true, `Official Account ${connected.oaId} is connected (access valid until ${until}, renewed automatically). Its followers are being imported from Zalo.`));
    return deps.callbackUrl ? { ...page, headers: { ...page.headers, 'set-cookie': flowCookieHeader('', deps.callbackUrl) } } : page;
  } catch (error) {
    return errorPage(deps, error);
  }
};

export const BackfillRequestSchema = v.object({
  tenant: v.optional(TenantId, DEFAULT_TENANT),
  oaId: v.pipe(v.string(), v.regex(/^\d{1,30}$/, 'oaId must be the OA id (digits)')),
  /** Start again from the first page (a new as-of time) even when a job exists. */
  restart: v.optional(v.boolean(), false),
});

export interface BackfillRouteDeps {
  jobs: Pick<BackfillJobStore, 'get' | 'start'>;
  tokens: Pick<TokenStore, 'get'>;
  run: (job: BackfillJob) => Promise<BackfillJob>;
  now: () => number;
}

const jobView = (job: BackfillJob) => ({
  tenant: job.tenant, oaId: job.oaId, asOf: vietnamIso(job.asOf), offset: job.offset, total: job.total ?? null,
  merged: job.merged, done: job.done, lastError: job.lastError ?? null,
});

/**
 * POST /api/admin/zalo/followers-backfill {"tenant","oaId","restart"}: starts the OA's backfill when none is
 * pending (or `restart`), then runs it within the request's budget; `done: false` means the schedule (or
 * calling again) goes on from `offset`.
 */
export const followersBackfillRoute = (deps: BackfillRouteDeps): AdminHandler<'Backfill'> => async (event) => {
  const body = readBody(event, BackfillRequestSchema);
  const tokens = await deps.tokens.get(body.tenant, body.oaId);
  if (!tokens) throw new RequestError(404, 'oaId', `OA ${body.oaId} is not connected for tenant ${body.tenant}`);
  if (tokens.revokedAt !== undefined) throw new RequestError(409, 'oaId', `OA ${body.oaId} revoked its access: connect it again first`);
  const existing = await deps.jobs.get(body.tenant, body.oaId);
  const job = existing && !existing.done && !body.restart ? existing : await deps.jobs.start(body.tenant, body.oaId, deps.now());
  return { body: { backfill: jobView(await deps.run(job)) } };
};

export const LinkRequestSchema = v.object({ appId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'appId must be the Zalo app id')) });

/**
 * POST /api/zalo/oa-connect-links {"appId"} (the tenant's key; the admin key with ?tenant=): 201 with the
 * link to send the OA admin, usable once within 72 hours.
 */
export const connectLinkRoute = (deps: LinkDeps) => async (event: APIGatewayProxyEventV2, caller: { tenant: string }) => {
  const { appId } = readBody(event, LinkRequestSchema);
  const { url, expiresAt } = await createConnectLink(deps, caller.tenant, appId);
  return new RawAnswer(json(201, { ok: true, ...shaped(ANSWERS.ConnectLink, { tenant: caller.tenant, appId, url, expiresAt: vietnamIso(expiresAt) }) }));
};
