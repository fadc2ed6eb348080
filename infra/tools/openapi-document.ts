/**
 * The OpenAPI 3.1 document of every route in serverless.yml, built from the valibot schemas the handlers
 * parse with (`@valibot/to-json-schema`, input side: what a caller sends). Schemas with transforms or
 * checks keep their structural part (`errorMode: 'ignore'`): the checks' closed sets are added back from
 * the same picklists. `npm run openapi` writes docs/openapi.json; test/infra/openapi.test.ts regenerates
 * it and compares, and checks it lists exactly serverless.yml's routes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { ANSWERS, okAnswer, type AnswerName } from '../../lib/api/answers';
import { WindowSchema } from '../../lib/api/admin';
import { CreateDestinationSchema, PatchDestinationSchema, ReplayWindowSchema } from '../../lib/api/destinations';
import { BackfillRequestSchema, LinkRequestSchema } from '../../lib/api/onboarding';
import { ReplayRequestSchema } from '../../lib/api/replay';
import { PatchTenantSchema } from '../../lib/api/tenant-lifecycle';
import { CreateTenantSchema, EsmsAccountBodySchema, ZaloAppBodySchema } from '../../lib/api/tenants';
import { SendStatusSchema, TypeIdSchema } from '../../lib/esms/channels';
import { OUTCOMES } from '../../lib/esms/outcome';
import { CallbackParamEntries } from '../../lib/esms/schema';
import { ErrorBodySchema, InboundAnswerSchema, ZaloWebhookAnswerSchema } from '../../lib/http/bodies';
import { BODY_LIMITS } from '../../lib/http/limits';
import { REPORT_DIMENSIONS } from '../../lib/reports/daily';
import { ZALO_SIGNATURE_HEADER } from '../../lib/zalo/signature';
import { ZaloEventSchema } from '../../lib/zalo/schema';
import { httpRoutes, PROJECT_ROOT, type HttpRoute } from '../local/routes';

type Json = Record<string, unknown>;

/**
 * `v.nullable(v.unknown())` converts to `anyOf: [{}, {type: 'null'}]`: a branch that takes anything makes
 * the union say nothing more than `{}`, which is what it becomes (redocly's no-illogical-composition-keywords).
 */
const tidy = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== 'object' || node === null) return node;
  const { anyOf, ...rest } = node as Json;
  const anything = Array.isArray(anyOf) && anyOf.some((branch) => typeof branch === 'object' && branch !== null && Object.keys(branch).length === 0);
  return Object.fromEntries(Object.entries(anything || anyOf === undefined ? rest : { ...rest, anyOf }).map(([key, value]) => [key, tidy(value)]));
};

const schema = (valibot: v.GenericSchema, typeMode: 'input' | 'output' = 'input'): Json => {
  const { $schema: _draft, ...rest } = toJsonSchema(valibot, { errorMode: 'ignore', typeMode }) as Json;
  return tidy(rest) as Json;
};

/** The callback's known parameters as one object (the parser keeps unknown names aside in `extra`). */
const esmsQuery = (): Json => schema(v.object(CallbackParamEntries));

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schemaRef: Json, description: string) => ({ description, content: { 'application/json': { schema: schemaRef } } });
const error = (description: string) => json(ref('ErrorBody'), description);


/**
 * One route's entry: what it takes and every answer it can give. `auth`: `read` routes take a tenant's key
 * (or the admin key with `tenant=`), `admin` routes the admin key only, `none` are the providers' and
 * browsers' routes (`security: []`: a path token, a signature or a single-use link stands in). `ok` names
 * the success statuses' answer schemas (lib/api/answers.ts); `errors` the route's own refusals beside the
 * ones every keyed route shares (400 malformed, 401, 403, 500, 503; 413 with a body limit).
 */
export interface Operation {
  summary: string;
  auth: 'read' | 'admin';
  query?: Json[];
  body?: { schema: v.GenericSchema; name: string; limit: number; required?: boolean };
  ok: Partial<Record<200 | 201 | 202, AnswerName>>;
  errors?: Partial<Record<number, string>>;
  /** `format=csv` answers text/csv (UTF-8 with BOM), its cursor in X-Next-Cursor. */
  csv?: boolean;
}

const day = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } });
const limit = (max: number, fallback: number) => ({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } });
const next = { name: 'next', in: 'query', required: false, description: 'the `next` cursor of the previous page (present only when more items exist)', schema: { type: 'string', maxLength: 2048 } };
const paged = [limit(1000, 100), next];
const tenantQuery = { name: 'tenant', in: 'query', required: false, description: 'the tenant an admin key reads (required with the admin key: 400 without it); a tenant\'s own key ignores it', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } };
const format: Json = { name: 'format', in: 'query', required: false, description: 'csv: text/csv; charset=utf-8 with a BOM, the next cursor in the X-Next-Cursor header', schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } };
const adminBody = (schema: v.GenericSchema, name: string, required = false) => ({ schema, name, limit: BODY_LIMITS.replay, required });
const destinationBody = (schema: v.GenericSchema, name: string) => ({ schema, name, limit: BODY_LIMITS.destination, required: true });
const NO_TENANT = 'no tenant with this id';
const NO_DESTINATION = 'no destination with this id (or another tenant\'s)';

/**
 * Every read and admin route, one entry each: a new route adds its line here and its answer schema to
 * lib/api/answers.ts (docs/architecture.md, "Adding a route"). test/infra/openapi.test.ts fails on a route
 * of the manifests without an entry.
 */
const NOT_SUPPRESSED = 'this phone (or Zalo user id) is not suppressed';

export const OPERATIONS: Record<string, Operation> = {
  'GET /api/esms/messages/{smsid}': { auth: 'read', summary: 'Current state of one eSMS send request, its recipients with their own status and callback history (paged); beside eSMS\'s status each carries `outcome` (delivered, partial, accepted, failed, pending, expired, unknown) with `outcomeReason` {code, vi, en}, and `error` {code, message, description: {vi, en}} from the one error catalogue', query: paged, ok: { 200: 'EsmsMessage' }, errors: { 404: 'no callback stored for this SMSID (or another tenant\'s)' } },
  'GET /api/esms/messages': {
    auth: 'read', csv: true, ok: { 200: 'EsmsSearch' },
    summary: 'Search the tenant\'s eSMS messages by phone (any spelling), by the partner\'s RequestId, or by day with filters; newest first, each with its decoded `error` and `outcome`. `format=csv`: text/csv with a BOM (`errorInfo` holds the error\'s description, beside `errorCode`, `outcome` and `outcomeReason`), the next cursor in X-Next-Cursor',
    query: [
      { name: 'phone', in: 'query', required: false, description: '0901888484, 84901888484 or +84 901 888 484 (normalised to 84…)', schema: { type: 'string', maxLength: 64 } },
      { name: 'requestId', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
      day('day', 'exactly one of phone, requestId, day'),
      { name: 'channel', in: 'query', required: false, description: 'TypeId (with day)', schema: { type: 'string', enum: TypeIdSchema.options.map(String) } },
      { name: 'status', in: 'query', required: false, description: 'SendStatus or expired (with day)', schema: { type: 'string', enum: ['1', '2', '4', '5', '7', 'expired'] } },
      { name: 'outcome', in: 'query', required: false, description: 'The message\'s outcome (with day)', schema: { type: 'string', enum: [...OUTCOMES] } },
      { name: 'oa', in: 'query', required: false, description: 'OA id (with day)', schema: { type: 'string' } }, { name: 'template', in: 'query', required: false, description: 'template id (with day)', schema: { type: 'string' } },
      ...paged, format,
    ],
  },
  'DELETE /api/recipients/{phone}': { auth: 'read', summary: 'Erase a phone number (any spelling) from the tenant\'s messages, callbacks, raw queries and rejected requests, keeping counters: {changed, incomplete?} (call again while incomplete)', ok: { 200: 'Erasure' } },
  'GET /api/rejected': { auth: 'read', summary: 'Rejected and unknown raw requests of one day (Vietnam time), newest first', query: [day('day', 'default: today'), ...paged], ok: { 200: 'Rejected' } },
  'POST /api/replay': { auth: 'read', summary: 'Replay rejected requests (by id, or a day page by page) through today\'s parsers', body: { schema: ReplayRequestSchema, name: 'ReplayRequest', limit: BODY_LIMITS.replay, required: true }, ok: { 200: 'Replay' } },
  'GET /api/reports/daily': {
    auth: 'read', csv: true, ok: { 200: 'DailyReport' },
    summary: 'Daily report: one row per day and group (eSMS rows, then the Zalo rows per OA); `format=csv` holds the eSMS rows',
    query: [day('from', 'default: today'), day('to', 'default: from (at most 93 days)'), { name: 'by', in: 'query', required: false, schema: { type: 'string', enum: [...REPORT_DIMENSIONS], default: 'channel' } }, ...paged, format],
  },
  'GET /api/suppressions': { auth: 'read', csv: true, summary: 'Phones and Zalo user ids whose latest outcome says a new Zalo send will fail, with reason, code, since and the message that showed it; derived from the stream (trails callbacks by seconds)', query: [...paged, format], ok: { 200: 'Suppressions' } },
  'GET /api/suppressions/{phone}': { auth: 'read', summary: 'One suppression (the phone in any spelling, or a Zalo user id)', ok: { 200: 'Suppression' }, errors: { 404: NOT_SUPPRESSED } },
  'DELETE /api/suppressions/{phone}': { auth: 'read', summary: 'Clear one suppression by hand; a later suppressing outcome sets it again', ok: { 200: 'SuppressionCleared' }, errors: { 404: NOT_SUPPRESSED } },
  'GET /api/usage': {
    auth: 'read', ok: { 200: 'Usage' },
    summary: 'The tenant\'s Vietnam-time month: callbacks, duplicates, rejected, Zalo events, messages and destination deliveries; the admin key without tenant= gets every tenant\'s',
    query: [{ name: 'month', in: 'query', required: false, description: 'YYYY-MM (default: this Vietnam month)', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } }],
  },
  'GET /api/zalo/messages/{msgId}': { auth: 'read', summary: 'Zalo events of one message (oldest first, paged) and the linked SMSID', query: paged, ok: { 200: 'ZaloMessage' }, errors: { 404: 'nothing stored for this msg_id' } },
  'GET /api/oa/{oaId}/followers': { auth: 'read', summary: 'Current followers of an OA', query: paged, ok: { 200: 'Followers' }, errors: { 404: 'the tenant stored no follow or unfollow of this OA' } },
  'GET /api/oa/{oaId}/users/{userId}/messages': { auth: 'read', summary: 'Conversation of an OA with one user', query: [...paged, { name: 'order', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'], default: 'asc' } }], ok: { 200: 'Conversation' }, errors: { 404: 'no conversation of this user with this OA' } },
  'GET /api/oa/{oaId}/state': { auth: 'read', summary: 'OA state: connection, templates (paged), daily quota, content tags; with `phone`, that phone\'s call consent', query: [{ name: 'phone', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9a-fA-F+]{6,64}$' } }, ...paged], ok: { 200: 'OaState' }, errors: { 404: 'nothing stored for this OA' } },
  'GET /api/zalo/journeys/{journeyId}': { auth: 'read', summary: 'ZNS Journey state: charged, or expired unused', ok: { 200: 'Journey' }, errors: { 404: 'no Journey event stored for this id' } },
  'POST /api/zalo/oa-connect-links': { auth: 'read', summary: 'Issue the link an OA admin opens to connect an OA to one of the tenant\'s apps (configured with its app secret): usable once, for 72 hours', body: { schema: LinkRequestSchema, name: 'ConnectLinkRequest', limit: BODY_LIMITS.replay, required: true }, ok: { 201: 'ConnectLink' }, errors: { 404: 'the app is not the tenant\'s', 409: 'the app has no app secret configured' } },
  'GET /api/onboarding': { auth: 'read', summary: 'Onboarding facts of the caller\'s tenant for the console\'s checklist: verification codes, Zalo apps (key set or pending), OAs that granted permission, eSMS tokens issued (never their values)', query: [{ name: 'app', in: 'query', required: false, description: 'comma-separated Zalo app ids to report on besides the connected OAs\' apps', schema: { type: 'string' } }], ok: { 200: 'Onboarding' } },
  'POST /api/destinations': { auth: 'read', summary: 'Register a destination: {id, secret, destination} (the whsec_ secret is shown once) (docs/destinations.md)', body: destinationBody(CreateDestinationSchema, 'DestinationCreateRequest'), ok: { 201: 'DestinationCreated' }, errors: { 409: 'the tenant has its maximum of destinations' } },
  'GET /api/destinations': { auth: 'read', summary: 'The tenant\'s destinations (never a secret)', ok: { 200: 'Destinations' } },
  'GET /api/destinations/{id}': { auth: 'read', summary: 'One destination', ok: { 200: 'Destination' }, errors: { 404: NO_DESTINATION } },
  'PATCH /api/destinations/{id}': { auth: 'read', summary: 'Change a destination\'s url, events, description or enabled', body: destinationBody(PatchDestinationSchema, 'DestinationPatchRequest'), ok: { 200: 'Destination' }, errors: { 404: NO_DESTINATION } },
  'DELETE /api/destinations/{id}': { auth: 'read', summary: 'Remove a destination', ok: { 200: 'Empty' }, errors: { 404: NO_DESTINATION } },
  'POST /api/destinations/{id}/rotate-secret': { auth: 'read', summary: 'A new secret; the previous one keeps signing beside it for 24 hours', ok: { 200: 'SecretRotated' }, errors: { 404: NO_DESTINATION } },
  'POST /api/destinations/{id}/test': { auth: 'read', summary: 'Queue a destination.test event for this destination', ok: { 202: 'TestQueued' }, errors: { 404: NO_DESTINATION, 409: 'the destination is disabled' } },
  'GET /api/destinations/{id}/attempts': { auth: 'read', summary: 'Delivery attempts, newest first', query: paged, ok: { 200: 'Attempts' }, errors: { 404: NO_DESTINATION } },
  'POST /api/destinations/{id}/replay': { auth: 'read', summary: 'Queue again every logged event of the window, same ids and bodies (next: call again from there)', body: destinationBody(ReplayWindowSchema, 'DestinationReplayRequest'), ok: { 202: 'ReplayQueued' }, errors: { 404: NO_DESTINATION, 409: 'the destination is disabled' } },
  'POST /api/admin/reconcile': { auth: 'admin', summary: 'Reconcile a tenant\'s messages with eSMS\'s pull APIs (default window: the last 24 hours; at most 7 days)', body: adminBody(WindowSchema, 'WindowRequest'), ok: { 200: 'Reconcile' }, errors: { 409: 'the tenant has no eSMS account for reconciliation' } },
  'POST /api/admin/late-sweep': { auth: 'admin', summary: 'Mark `expired` the messages with no final status after LATE_REPORT_HOURS (default window: what crossed the threshold in the last 26 hours)', body: adminBody(WindowSchema, 'WindowRequest'), ok: { 200: 'LateSweep' } },
  'POST /api/admin/tenants': { auth: 'admin', summary: 'Create a tenant', body: adminBody(CreateTenantSchema, 'CreateTenantRequest', true), ok: { 201: 'Tenant' }, errors: { 409: 'a tenant with this id exists' } },
  'GET /api/admin/tenants': { auth: 'admin', summary: 'List the tenants of the registry', query: paged, ok: { 200: 'Tenants' } },
  'GET /api/admin/tenants/{id}': { auth: 'admin', summary: 'The tenant and its credentials (ids and times, never a secret)', ok: { 200: 'TenantInventory' }, errors: { 404: NO_TENANT } },
  'DELETE /api/admin/tenants/{id}': {
    auth: 'admin', ok: { 200: 'Offboard' }, errors: { 404: 'an unknown (or fully deleted) tenant', 409: 'the tenant default cannot be deleted' },
    summary: 'Offboard a tenant in bounded calls; incomplete:true means call again. Its API keys stop at once, its eSMS tokens within the registry cache TTL; then every record of it in every table; the counters 60 s after the messages (the aggregator settles)',
    query: [
      { name: 'confirm', in: 'query', required: true, schema: { type: 'string' }, description: 'the tenant id again (400 without it)' },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'deletions this call makes at most (default and ceiling 2000)' },
    ],
  },
  'PATCH /api/admin/tenants/{id}': { auth: 'admin', summary: 'Rename, change retention, suspend or resume a tenant. A suspended tenant\'s API keys get 403 from the next request on; its callbacks and Zalo events are still stored', body: adminBody(PatchTenantSchema, 'PatchTenantRequest', true), ok: { 200: 'TenantPatched' }, errors: { 404: NO_TENANT } },
  'POST /api/admin/tenants/{id}/api-keys': { auth: 'admin', summary: 'A new read-API key of the tenant (the key is shown once, stored as sha256)', ok: { 201: 'ApiKeyCreated' }, errors: { 404: NO_TENANT } },
  'DELETE /api/admin/tenants/{id}/api-keys/{keyId}': { auth: 'admin', summary: 'Revoke an API key (refused from the next request on)', ok: { 200: 'Revoked' }, errors: { 404: 'no such key of this tenant' } },
  'POST /api/admin/tenants/{id}/esms-tokens': { auth: 'admin', summary: 'A new eSMS callback token of the tenant and its five callback URLs', ok: { 201: 'EsmsTokenCreated' }, errors: { 404: NO_TENANT } },
  'DELETE /api/admin/tenants/{id}/esms-tokens/{tokenId}': { auth: 'admin', summary: 'Revoke an eSMS callback token (404 within the cache TTL, 60 s)', ok: { 200: 'Revoked' }, errors: { 404: 'no such token of this tenant' } },
  'PUT /api/admin/tenants/{id}/zalo-apps/{appId}': { auth: 'admin', summary: 'Register a Zalo app (201; 200 when it existed; pending without oaSecretKey) or set its keys (appSecret is the app\'s OAuth secret); with a key, drains its pending requests', body: adminBody(ZaloAppBodySchema, 'ZaloAppRequest'), ok: { 200: 'ZaloApp', 201: 'ZaloApp' }, errors: { 404: NO_TENANT, 409: 'the app belongs to another tenant' } },
  'DELETE /api/admin/tenants/{id}/zalo-apps/{appId}': { auth: 'admin', summary: 'Remove a Zalo app of the tenant from the registry, with its sealed keys and the requests it kept while pending, in bounded calls (incomplete: call again); its events are then an unknown app\'s', ok: { 200: 'ZaloAppDeleted' }, errors: { 404: 'the tenant has no such app in the registry' } },
  'POST /api/admin/tenants/{id}/zalo-apps/{appId}/drain': { auth: 'admin', summary: 'Go on with a drain that answered incomplete', ok: { 200: 'ZaloAppDrain' }, errors: { 404: 'the tenant has no such app', 409: 'the app is pending: configure its oaSecretKey first' } },
  'PUT /api/admin/tenants/{id}/esms-account': { auth: 'admin', summary: 'The eSMS account reconciliation pulls with for this tenant (sealed at rest)', body: adminBody(EsmsAccountBodySchema, 'EsmsAccountRequest', true), ok: { 200: 'TenantOnly' }, errors: { 404: NO_TENANT } },
  'PUT /api/admin/tenants/{id}/site-verification/{code}': { auth: 'admin', summary: 'Add a Zalo domain-verification code served on GET / (201; 200 when present)', ok: { 200: 'SiteCode', 201: 'SiteCode' }, errors: { 404: NO_TENANT, 409: 'the code belongs to another tenant' } },
  'DELETE /api/admin/tenants/{id}/site-verification/{code}': { auth: 'admin', summary: 'Remove a domain-verification code', ok: { 200: 'SiteCodeDeleted' }, errors: { 404: 'no such code of this tenant' } },
  'POST /api/admin/zalo/followers-backfill': { auth: 'admin', summary: 'Start (or continue) an OA\'s followers backfill from Zalo\'s getlist and run it for up to 20 s (the schedule goes on every 15 minutes while done is false)', body: adminBody(BackfillRequestSchema, 'BackfillRequest', true), ok: { 200: 'Backfill' }, errors: { 404: 'the OA is not connected for this tenant', 409: 'the OA revoked its access', 502: 'Zalo refused, or its answer could not be read' } },
};

/** The providers' and browsers' routes: no bearer key (`security: []`), their own answers. */
const PUBLIC_OPERATIONS: Record<string, () => Json> = {
  'GET /': () => ({ summary: 'Zalo domain verification page (one meta tag per configured code)', responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } }, 500: error('internal error'), 503: error('storage unavailable (the registry\'s codes could not be read)') } }),
  'POST /zalo/webhook': () => ({
    summary: 'Zalo Official Account webhook (signed JSON event)',
    description: 'No bearer key: each request is signed (X-ZEvent-Signature, checked in constant time over the raw body).',
    parameters: [{ name: ZALO_SIGNATURE_HEADER, in: 'header', required: true, description: 'hex sha256(app_id (or appId) + raw body + timestamp digits as sent + OA secret key), with or without `mac=`, either case', schema: { type: 'string', pattern: '^(mac=)?[0-9a-fA-F]{64}$' } }],
    requestBody: { required: true, description: `at most ${BODY_LIMITS.zaloWebhook} bytes`, content: { 'application/json': { schema: ref('ZaloEvent') } } },
    responses: {
      200: json(ref('ZaloWebhookAnswer'), 'stored, or already stored (duplicate); a signed event the parsers cannot read (unknown event_name, unexpected shape) is kept raw and listed as unparsed (unparsed: true); a pending app\'s request is kept raw (pending: true)'),
      401: error('one answer for every refusal: missing or wrong signature, unknown or missing app id, stale timestamp, body not a JSON object'),
      413: error('body too large'),
      500: error('internal error'),
      503: error('storage unavailable: Zalo retries'),
    },
  }),
  'GET /zalo/oa-connect': () => ({ summary: 'Uses the single-use link the app\'s tenant issued (POST /api/zalo/oa-connect-links) and redirects the OA admin to Zalo\'s consent page, with a single-use state and an HttpOnly cookie binding it to this browser', parameters: [{ name: 'link', in: 'query', required: true, schema: { type: 'string', maxLength: 1024 } }], responses: { 302: { description: 'to Zalo (Set-Cookie zalo_oa_flow)' }, 400: htmlPage('the app is not configured for OA connections'), 403: htmlPage('no link, a forged or expired one, or one already used'), 409: htmlPage('the app moved to another tenant since the link was issued'), 500: htmlPage('ZALO_OA_CALLBACK_URL is not configured'), 503: htmlPage('storage unavailable') } }),
  'GET /zalo/oa-callback': () => ({
    summary: 'Official Account Callback Url: exchanges the code for the OA\'s tokens',
    parameters: ['oa_id', 'code', 'state'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } })),
    responses: { 200: htmlPage('result page'), 400: htmlPage('a parameter is missing or malformed'), 401: htmlPage('state forged or expired'), 403: htmlPage('state already used, or started in another browser (no or another zalo_oa_flow cookie); oa_id is not the OA Zalo confirms'), 500: htmlPage('internal error'), 502: htmlPage('Zalo refused, or could not confirm the OA (nothing saved)'), 503: htmlPage('storage unavailable') },
  }),
  'GET /console': () => ({
    summary: 'The web console (docs/console.md): its page, and its script and stylesheet as `?asset=app.js|app.css`, under a strict Content-Security-Policy; sign-in is the read API key, typed by the user',
    parameters: [{ name: 'asset', in: 'query', required: false, schema: { type: 'string', enum: ['app.js', 'app.css'] } }, { name: 'v', in: 'query', required: false, description: 'the build version: a matching URL is cached as immutable', schema: { type: 'string' } }],
    responses: { 200: { description: 'HTML page, JavaScript or CSS', content: { 'text/html': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } } }, 404: error('no such asset'), 500: error('internal error'), 503: error('the console was not built (npm run console:build)') },
  }),
};

const htmlPage = (description: string) => ({ description: `HTML page: ${description}`, content: { 'text/html': { schema: { type: 'string' } } } });

const SECURITY = { read: [{ tenantKey: [] }, { adminKey: [] }], admin: [{ adminKey: [] }] };

const successDescription = (status: number, answer: AnswerName): string =>
  `${status === 201 ? 'created' : status === 202 ? 'accepted (queued)' : 'the answer'}: ${answer}Answer`;

/** The OpenAPI operation of a read or admin route, from its entry. */
const keyedOperation = (operation: Operation): Json => {
  const responses: Record<string, Json> = {};
  for (const [status, answer] of Object.entries(operation.ok) as Array<[string, AnswerName]>) {
    const body = json(ref(`${answer}Answer`), successDescription(Number(status), answer));
    responses[status] = operation.csv
      ? { ...body, headers: { 'X-Next-Cursor': { description: 'with format=csv: the cursor of the next page, when more rows remain', schema: { type: 'string' } } }, content: { ...body.content, 'text/csv': { schema: { type: 'string', description: 'UTF-8 with a BOM, one header row' } } } }
      : body;
  }
  const own = operation.errors ?? {};
  const refusals: Partial<Record<number, string>> = {
    400: operation.auth === 'read' ? 'a parameter or the body is malformed (the error names it); an admin key without tenant=' : 'a parameter or the body is malformed (the error names it)',
    401: 'missing or invalid bearer key (WWW-Authenticate: Bearer)',
    403: operation.auth === 'read' ? 'the key\'s tenant is suspended' : 'a tenant\'s key: this route needs an admin key (ADMIN_API_KEYS)',
    ...(operation.body ? { 413: `body larger than ${operation.body.limit} bytes` } : {}),
    500: 'internal error (generic body)',
    503: 'storage unavailable, retry later',
  };
  for (const [status, description] of Object.entries({ ...refusals, ...own }).sort(([a], [b]) => Number(a) - Number(b))) responses[status] = error(description!);
  return {
    summary: operation.summary,
    security: SECURITY[operation.auth],
    parameters: [...(operation.query ?? []), ...(operation.auth === 'read' ? [tenantQuery] : [])],
    ...(operation.body && { requestBody: { required: operation.body.required ?? false, description: `at most ${operation.body.limit} bytes${operation.body.required ? '' : '; may be empty'}`, content: { 'application/json': { schema: ref(operation.body.name) } } } }),
    responses,
  };
};

const ESMS_QUERY_NAMES = Object.keys(CallbackParamEntries);

const esmsCallback = (route: HttpRoute): Json => ({
  summary: `eSMS delivery callback (${route.path.split('/').pop()})`,
  description: 'Query string exactly as eSMS sends it; parameter names match case-insensitively; unknown parameters are kept.',
  // One object parameter, form-exploded: each property of the parser's schema is one query parameter.
  parameters: [{ name: 'callback', in: 'query', required: true, style: 'form', explode: true, description: `the callback's parameters (${ESMS_QUERY_NAMES.join(', ')}), each its own query parameter`, schema: ref('EsmsCallbackQuery') }],
  responses: {
    200: json(ref('InboundAnswer'), 'stored (duplicate: false) or already stored (duplicate: true)'),
    400: error('malformed callback: kept raw for replay; the error names the field'),
    404: error('unknown token: nothing stored'),
    414: error('query string longer than 3,700 bytes (kept raw, up to 8 KiB, for replay)'),
    500: error('internal error'),
    503: error('storage unavailable and the inbound buffer too: eSMS may retry; reconciliation recovers it'),
  },
});

let cachedComponents: Record<string, Json> | undefined;
const components = (): Record<string, Json> => {
  if (cachedComponents) return cachedComponents;
  const query = esmsQuery() as { properties: Record<string, Json> };
  // Checked codes: the schema keeps only `string`; the closed sets come from the same picklists.
  query.properties.SendStatus = { ...query.properties.SendStatus, enum: SendStatusSchema.options.map(String) };
  query.properties.TypeId = { ...query.properties.TypeId, enum: TypeIdSchema.options.map(String) };
  const requests = Object.fromEntries(Object.values(OPERATIONS).flatMap((operation) => (operation.body ? [[operation.body.name, schema(operation.body.schema)]] : [])));
  const answers = Object.fromEntries(Object.entries(ANSWERS).map(([name, body]) => [`${name}Answer`, schema(okAnswer(body), 'output')]));
  cachedComponents = {
    EsmsCallbackQuery: query,
    ZaloEvent: schema(ZaloEventSchema),
    InboundAnswer: schema(InboundAnswerSchema, 'output'),
    ZaloWebhookAnswer: schema(ZaloWebhookAnswerSchema, 'output'),
    ErrorBody: schema(ErrorBodySchema, 'output'),
    ...Object.fromEntries(Object.entries({ ...requests, ...answers }).sort(([a], [b]) => a.localeCompare(b))),
  };
  return cachedComponents;
};

const pathParameters = (path: string): Json[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string', maxLength: 128 },
    ...(name === 'token' ? { description: 'secret path token (ESMS_CALLBACK_TOKENS): one per partner registration, two during a rotation' } : {}),
  }));

/** The operation of a route: an eSMS callback, a public route, or an entry of OPERATIONS; a route with none throws. */
const describe = (route: HttpRoute): Json => {
  const key = `${route.method} ${route.path}`;
  if (route.path.startsWith('/esms/')) return { ...esmsCallback(route), security: [] };
  const open = PUBLIC_OPERATIONS[key];
  if (open) return { ...open(), security: [] };
  const keyed = OPERATIONS[key];
  if (!keyed) throw new Error(`${key} has no entry in OPERATIONS (infra/tools/openapi-document.ts): add one (docs/architecture.md, "Adding a route")`);
  return keyedOperation(keyed);
};

export const buildOpenApi = (routes: HttpRoute[] = httpRoutes()): Json => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of [...routes].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`))) {
    const described = describe(route);
    const own = (described.parameters as Json[] | undefined) ?? [];
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.functionName,
      ...described,
      parameters: [...pathParameters(route.path), ...own],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vn-messaging-webhooks',
      version,
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
      description: 'eSMS delivery callbacks, the Zalo OA webhook and onboarding, and the read and admin APIs. Generated by `npm run openapi` from the valibot schemas (requests: the parsers\' schemas; answers: lib/api/answers.ts); do not edit by hand.',
    },
    servers: [
      { url: 'https://api.etelecom.vn', description: 'prod (custom domain, when configured)' },
      { url: 'https://api-sandbox.etelecom.vn', description: 'sandbox (custom domain, when configured)' },
      { url: 'http://localhost:3000', description: 'local stack (npm start)' },
    ],
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        tenantKey: { type: 'http', scheme: 'bearer', description: 'a tenant\'s read-API key (API_KEYS for the tenant default, or one issued by POST /api/admin/tenants/{id}/api-keys)' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'an admin key (ADMIN_API_KEYS); on read routes it names the tenant with tenant=' },
      },
    },
  };
};
