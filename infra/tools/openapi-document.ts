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
import { ReplayRequestSchema } from '../../lib/api/replay';
import { SendStatusSchema, TypeIdSchema } from '../../lib/esms/channels';
import { OUTCOMES } from '../../lib/esms/outcome';
import { CallbackParamEntries } from '../../lib/esms/schema';
import { ErrorBodySchema, InboundAnswerSchema, ReadAnswerSchema, ZaloWebhookAnswerSchema } from '../../lib/http/bodies';
import { BODY_LIMITS } from '../../lib/http/limits';
import { REPORT_DIMENSIONS } from '../../lib/reports/daily';
import { ZALO_SIGNATURE_HEADER } from '../../lib/zalo/signature';
import { ZaloEventSchema } from '../../lib/zalo/schema';
import { httpRoutes, PROJECT_ROOT, type HttpRoute } from '../local/routes';

type Json = Record<string, unknown>;

const schema = (valibot: v.GenericSchema): Json => {
  const { $schema: _draft, ...rest } = toJsonSchema(valibot, { errorMode: 'ignore', typeMode: 'input' }) as Json;
  return rest;
};

/** The callback's known parameters as one object (the parser keeps unknown names aside in `extra`). */
const esmsQuery = (): Json => schema(v.object(CallbackParamEntries));

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schemaRef: Json, description: string) => ({ description, content: { 'application/json': { schema: schemaRef } } });
const error = (description: string) => json(ref('ErrorBody'), description);

const day = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } });
const limit = (max: number, fallback: number) => ({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } });
const next = { name: 'next', in: 'query', required: false, description: 'the `next` cursor of the previous page (present only when more items exist)', schema: { type: 'string', maxLength: 2048 } };

const adminApi = (summary: string, body: string): Json => ({
  summary,
  security: [{ bearer: [] }],
  requestBody: { required: false, description: body, content: { 'application/json': { schema: { type: 'object' } } } },
  responses: {
    200: json(ref('ReadAnswer'), 'the result'),
    400: error('a field is malformed (the error names it)'),
    401: error('missing or invalid bearer key'),
    403: error('a tenant key: this route needs an admin key (ADMIN_API_KEYS)'),
    409: error('the tenant has no eSMS account for reconciliation'),
    500: error('internal error'),
    503: error('storage unavailable, retry later'),
  },
});

const readApi = (summary: string, query: Json[] = [], answer = 'the answer'): Json => ({
  summary,
  security: [{ bearer: [] }],
  parameters: query,
  responses: {
    200: json(ref('ReadAnswer'), answer),
    400: error('a parameter is malformed (the error names it)'),
    401: error('missing or invalid bearer key'),
    404: error('nothing stored under that id'),
    500: error('internal error'),
    503: error('storage unavailable, retry later'),
  },
});

const ESMS_QUERY_NAMES = Object.keys(CallbackParamEntries);
const format: Json = { name: 'format', in: 'query', required: false, description: 'csv: text/csv; charset=utf-8 with a BOM', schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } };

/** What the document says of each route beyond its path parameters. Routes missing here get a bare entry. */
const OPERATIONS: Record<string, (route: HttpRoute) => Json> = {
  'GET /': () => ({ summary: 'Zalo domain verification page (one meta tag per configured code)', responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } } }),
  'POST /zalo/webhook': () => ({
    summary: 'Zalo Official Account webhook (signed JSON event)',
    parameters: [{ name: ZALO_SIGNATURE_HEADER, in: 'header', required: true, description: 'hex sha256(app_id (or appId) + raw body + timestamp digits as sent + OA secret key), with or without `mac=`, either case', schema: { type: 'string', pattern: '^(mac=)?[0-9a-fA-F]{64}$' } }],
    requestBody: { required: true, description: `at most ${BODY_LIMITS.zaloWebhook} bytes`, content: { 'application/json': { schema: ref('ZaloEvent') } } },
    responses: {
      200: json(ref('ZaloWebhookAnswer'), 'stored, or already stored (duplicate); a signed event the parsers cannot read (unknown event_name, unexpected shape) is kept raw and listed as unparsed (unparsed: true); a pending app\'s request is kept raw (pending: true)'),
      401: error('one answer for every refusal: missing or wrong signature, unknown or missing app id, stale timestamp, body not a JSON object'),
      413: error('body too large'),
      503: error('storage unavailable: Zalo retries'),
    },
  }),
  'GET /zalo/oa-connect': () => ({ summary: 'Uses the single-use link the app\'s tenant issued (POST /api/zalo/oa-connect-links) and redirects the OA admin to Zalo\'s consent page, with a single-use state and an HttpOnly cookie binding it to this browser', parameters: [{ name: 'link', in: 'query', required: true, schema: { type: 'string', maxLength: 1024 } }], responses: { 302: { description: 'to Zalo (Set-Cookie zalo_oa_flow)' }, 400: { description: 'HTML error page: the app is not configured for OA connections' }, 403: { description: 'HTML error page: no link, a forged or expired one, or one already used' }, 409: { description: 'HTML error page: the app moved to another tenant since the link was issued' }, 500: { description: 'HTML error page: ZALO_OA_CALLBACK_URL is not configured' } } }),
  'POST /api/zalo/oa-connect-links': () => ({
    ...readApi('Issue the link an OA admin opens to connect an OA to one of the tenant\'s apps (configured with its app secret): usable once, for 72 hours. 201 {tenant, appId, url, expiresAt}; another tenant\'s app, or none, is a 404'),
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['appId'], properties: { appId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } } } } },
  }),
  'GET /zalo/oa-callback': () => ({
    summary: 'Official Account Callback Url: exchanges the code for the OA\'s tokens',
    parameters: ['oa_id', 'code', 'state'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } })),
    responses: { 200: { description: 'HTML result page' }, 400: { description: 'HTML error page' }, 401: { description: 'HTML error page: state forged or expired' }, 403: { description: 'HTML error page: state already used, or started in another browser (no or another zalo_oa_flow cookie); oa_id is not the OA Zalo confirms' }, 502: { description: 'Zalo refused, or could not confirm the OA (nothing saved)' } },
  }),
  'GET /api/esms/messages/{smsid}': () => readApi('Current state of one eSMS send request, its recipients with their own status and callback history (paged); beside eSMS\'s status each carries `outcome` (delivered, partial, accepted, failed, pending, expired, unknown) with `outcomeReason` {code, vi, en}, and `error` {code, message, description: {vi, en}} from the one error catalogue', [limit(1000, 100), next]),
  'GET /api/esms/messages': () => readApi('Search the tenant\'s eSMS messages by phone (any spelling), by the partner\'s RequestId, or by day with filters; newest first, each with its decoded `error` and `outcome`. `format=csv`: text/csv with a BOM (`errorInfo` holds the error\'s description, beside `errorCode`, `outcome` and `outcomeReason`), the next cursor in X-Next-Cursor', [
    { name: 'phone', in: 'query', required: false, description: '0901888484, 84901888484 or +84 901 888 484 (normalised to 84…)', schema: { type: 'string', maxLength: 64 } },
    { name: 'requestId', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
    day('day', 'exactly one of phone, requestId, day'),
    { name: 'channel', in: 'query', required: false, description: 'TypeId (with day)', schema: { type: 'string', enum: TypeIdSchema.options.map(String) } },
    { name: 'status', in: 'query', required: false, description: 'SendStatus or expired (with day)', schema: { type: 'string', enum: ['1', '2', '4', '5', '7', 'expired'] } },
    { name: 'outcome', in: 'query', required: false, description: 'The message\'s outcome (with day)', schema: { type: 'string', enum: [...OUTCOMES] } },
    { name: 'oa', in: 'query', required: false, schema: { type: 'string' } }, { name: 'template', in: 'query', required: false, schema: { type: 'string' } },
    limit(1000, 100), next, format,
  ]),
  'DELETE /api/recipients/{phone}': () => readApi('Erase a phone number (any spelling) from the tenant\'s messages, callbacks, raw queries and rejected requests, keeping counters: {changed, incomplete?} (call again while incomplete)'),
  'GET /api/rejected': () => readApi('Rejected and unknown raw requests of one day (Vietnam time), newest first', [day('day', 'default: today'), limit(1000, 100), next]),
  'POST /api/admin/reconcile': () => adminApi('Reconcile a tenant\'s messages with eSMS\'s pull APIs: {checked, updated, discovered, failed, incomplete}', '{"tenant":"default","from":"<ISO>","to":"<ISO>"} (default: the last 24 hours; at most 7 days)'),
  'POST /api/admin/tenants': () => adminApi('Create a tenant (201; 409 when the id exists)', '{"id":"acme","name":"ACME"}: id ^[a-z0-9][a-z0-9-]{1,62}$'),
  'GET /api/admin/tenants': () => adminApi('List the tenants of the registry', 'none'),
  'GET /api/admin/tenants/{id}': () => adminApi('The tenant and its credentials: {tenant: {id, name, createdAt, suspended, retentionDays?}, credentials: {apiKeys: [{keyId, createdAt, lastUsedAt: null}], esmsTokens: [{tokenId, createdAt, lastUsedAt: null}], zaloApps: [{appId, createdAt, hasKey, hasAppSecret, pendingKept}], destinations: [{id, enabled, createdAt}]}}; never a secret; 404 for an unknown tenant', 'none'),
  'DELETE /api/admin/tenants/{id}': () => ({
    ...adminApi('Offboard a tenant in bounded calls: {tenant, changed, incomplete}; incomplete:true means call again. Its API keys stop at once, its eSMS tokens within the registry cache TTL; then every record of it in every table; the counters 60 s after the messages (the aggregator settles). 409 for default, 400 without confirm={id}, 404 for an unknown (or fully deleted) tenant', 'none'),
    parameters: [
      { name: 'confirm', in: 'query', required: true, schema: { type: 'string' }, description: 'the tenant id again' },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'deletions this call makes at most (default and ceiling 2000)' },
    ],
  }),
  'PATCH /api/admin/tenants/{id}': () => adminApi('Rename, change retention, suspend or resume a tenant: {tenant, apiKeysChanged?}. A suspended tenant\'s API keys get 403 from the next request on; its callbacks and Zalo events are still stored', '{"name":"…","retentionDays":30,"suspended":true} (at least one)'),
  'POST /api/admin/tenants/{id}/api-keys': () => adminApi('A new read-API key of the tenant: {keyId, key} (the key is shown once, stored as sha256)', 'none'),
  'DELETE /api/admin/tenants/{id}/api-keys/{keyId}': () => adminApi('Revoke an API key (refused from the next request on)', 'none'),
  'POST /api/admin/tenants/{id}/esms-tokens': () => adminApi('A new eSMS callback token of the tenant: {tokenId, token, callbackUrls: {sms, viber, zns, zalo, journey}}', 'none'),
  'DELETE /api/admin/tenants/{id}/esms-tokens/{tokenId}': () => adminApi('Revoke an eSMS callback token (404 within the cache TTL, 60 s)', 'none'),
  'PUT /api/admin/tenants/{id}/zalo-apps/{appId}': () => adminApi('Register a Zalo app (201; 200 when it existed; pending without oaSecretKey) or set its keys; with a key, drains its pending requests: {pending, drain: {ingested, discarded, incomplete}}', '{"oaSecretKey":"…","appSecret":"…"} (both optional; appSecret is the app\'s OAuth secret)'),
  'POST /api/admin/tenants/{id}/zalo-apps/{appId}/drain': () => adminApi('Go on with a drain that answered incomplete: {drain: {ingested, discarded, incomplete}}', 'none'),
  'PUT /api/admin/tenants/{id}/esms-account': () => adminApi('The eSMS account reconciliation pulls with for this tenant (sealed at rest)', '{"apiKey":"…","secretKey":"…"}'),
  'PUT /api/admin/tenants/{id}/site-verification/{code}': () => adminApi('Add a Zalo domain-verification code served on GET / (201; 200 when present)', 'none'),
  'DELETE /api/admin/tenants/{id}/site-verification/{code}': () => adminApi('Remove a domain-verification code', 'none'),
  'POST /api/admin/late-sweep': () => adminApi('Mark `expired` the messages with no final status after LATE_REPORT_HOURS: {checked, expired}', '{"tenant":"default","from":"<ISO>","to":"<ISO>"} (default: what crossed the threshold in the last 26 hours)'),
  'POST /api/admin/zalo/followers-backfill': () => adminApi('Start (or continue) an OA\'s followers backfill from Zalo\'s getlist and run it for up to 20 s: {backfill: {offset, total, merged, done, lastError}} (the schedule goes on every 15 minutes while done is false)', '{"tenant":"default","oaId":"<OA id>","restart":false}'),
  'POST /api/replay': () => ({
    ...readApi('Replay rejected requests through today\'s parsers'),
    requestBody: { required: true, description: `at most ${BODY_LIMITS.replay} bytes`, content: { 'application/json': { schema: ref('ReplayRequest') } } },
  }),
  'GET /api/reports/daily': () => readApi('Daily report: one row per day and group', [
    day('from', 'default: today'), day('to', 'default: from (at most 93 days)'),
    { name: 'by', in: 'query', required: false, schema: { type: 'string', enum: [...REPORT_DIMENSIONS], default: 'channel' } }, format,
  ]),
  'GET /api/zalo/messages/{msgId}': () => readApi('Zalo events of one message and the linked SMSID'),
  'GET /api/oa/{oaId}/followers': () => readApi('Current followers of an OA (404 when the tenant stored no follow or unfollow of it)', [limit(1000, 100), next]),
  'GET /api/oa/{oaId}/users/{userId}/messages': () => readApi('Conversation of an OA with one user', [limit(1000, 100), next, { name: 'order', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'] } }]),
  'GET /api/oa/{oaId}/state': () => readApi('OA state: quotas, templates, token expiry', [{ name: 'phone', in: 'query', required: false, schema: { type: 'string' } }]),
  'GET /api/zalo/journeys/{journeyId}': () => readApi('ZNS Journey state'),
  'GET /api/usage': () => readApi('The tenant\'s Vietnam-time month: {month, tenant, usage: {callbacks, duplicates, rejected, zaloEvents, messages, deliveries}}; the admin key without tenant= gets {month, tenants: [{tenant, …}]}', [{ name: 'month', in: 'query', required: false, description: 'YYYY-MM (default: this Vietnam month)', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } }]),
  'GET /api/suppressions': () => readApi('Phones and Zalo user ids whose latest outcome says a new Zalo send will fail: {suppressions: [{phone, type (phone|zalo-user), reason, reasonVi, code, since, source (esms|zalo), smsId, msgId, oaId, event}], next?}; derived from the stream, so it trails callbacks by seconds', [limit(1000, 100), next, format]),
  'GET /api/suppressions/{phone}': () => readApi('One suppression (any spelling of the phone, or a Zalo user id): {suppression}; 404 when not suppressed'),
  'DELETE /api/suppressions/{phone}': () => readApi('Clear one suppression by hand: {cleared: true}; 404 when not suppressed; a later suppressing outcome sets it again'),
  'POST /api/destinations': () => ({ ...readApi('Register a destination (201): {id, secret} (the whsec_ secret is shown once) (docs/destinations.md)'), requestBody: { required: true, description: `{"url":"https://…","events"?:[…],"description"?:"…"}; at most ${BODY_LIMITS.destination} bytes`, content: { 'application/json': { schema: { type: 'object' } } } } }),
  'GET /api/destinations': () => readApi('The tenant\'s destinations (never a secret)'),
  'GET /api/destinations/{id}': () => readApi('One destination (404 when unknown)'),
  'PATCH /api/destinations/{id}': () => ({ ...readApi('Change a destination\'s url, events, description or enabled'), requestBody: { required: true, description: `{"url"?,"events"?,"description"?,"enabled"?}; at most ${BODY_LIMITS.destination} bytes`, content: { 'application/json': { schema: { type: 'object' } } } } }),
  'DELETE /api/destinations/{id}': () => readApi('Remove a destination'),
  'POST /api/destinations/{id}/rotate-secret': () => readApi('A new secret {secret}; the previous one keeps signing beside it for 24 hours'),
  'POST /api/destinations/{id}/test': () => readApi('Queue a destination.test event for this destination (202)'),
  'GET /api/destinations/{id}/attempts': () => readApi('Delivery attempts, newest first', [limit(1000, 100), next]),
  'POST /api/destinations/{id}/replay': () => ({ ...readApi('Queue again every logged event of the window, same ids and bodies (202; next: call again from there)'), requestBody: { required: true, description: `{"from":"<ISO>","to":"<ISO>"}; at most ${BODY_LIMITS.destination} bytes`, content: { 'application/json': { schema: { type: 'object' } } } } }),
  'GET /api/onboarding': () => readApi('Onboarding facts of the caller\'s tenant for the console\'s checklist: verification codes, Zalo apps (key set or pending), OAs that granted permission, eSMS tokens issued (never their values)'),
  'GET /console': () => ({
    summary: 'The web console (docs/console.md): its page, and its script and stylesheet as `?asset=app.js|app.css`, under a strict Content-Security-Policy; sign-in is the read API key, typed by the user',
    parameters: [{ name: 'asset', in: 'query', required: false, schema: { type: 'string', enum: ['app.js', 'app.css'] } }, { name: 'v', in: 'query', required: false, description: 'the build version: a matching URL is cached as immutable', schema: { type: 'string' } }],
    responses: { 200: { description: 'HTML page, JavaScript or CSS' }, 404: error('no such asset'), 503: error('the console was not built (npm run console:build)') },
  }),
};

const esmsCallback = (route: HttpRoute): Json => ({
  summary: `eSMS delivery callback (${route.path.split('/').pop()})`,
  description: 'Query string exactly as eSMS sends it; parameter names match case-insensitively; unknown parameters are kept.',
  parameters: ESMS_QUERY_NAMES.map((name) => ({ name, in: 'query', required: ((components().EsmsCallbackQuery as { required: string[] }).required).includes(name), schema: (components().EsmsCallbackQuery as { properties: Record<string, Json> }).properties[name] })),
  responses: {
    200: json(ref('InboundAnswer'), 'stored (duplicate: false) or already stored (duplicate: true)'),
    400: error('malformed callback: kept raw for replay; the error names the field'),
    404: error('unknown token: nothing stored'),
    414: error('query string longer than 3,700 bytes (kept raw, up to 8 KiB, for replay)'),
    503: error('storage unavailable: eSMS retries'),
  },
});

let cachedComponents: Record<string, Json> | undefined;
const components = (): Record<string, Json> => {
  if (cachedComponents) return cachedComponents;
  const query = esmsQuery() as { properties: Record<string, Json> };
  // Checked codes: the schema keeps only `string`; the closed sets come from the same picklists.
  query.properties.SendStatus = { ...query.properties.SendStatus, enum: SendStatusSchema.options.map(String) };
  query.properties.TypeId = { ...query.properties.TypeId, enum: TypeIdSchema.options.map(String) };
  cachedComponents = {
    EsmsCallbackQuery: query,
    ZaloEvent: schema(ZaloEventSchema),
    ReplayRequest: schema(ReplayRequestSchema),
    InboundAnswer: schema(InboundAnswerSchema),
    ZaloWebhookAnswer: schema(ZaloWebhookAnswerSchema),
    ReadAnswer: schema(ReadAnswerSchema),
    ErrorBody: schema(ErrorBodySchema),
  };
  return cachedComponents;
};

const pathParameters = (path: string): Json[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string', maxLength: 128 },
    ...(name === 'token' ? { description: 'secret path token (ESMS_CALLBACK_TOKENS): one per partner registration, two during a rotation' } : {}),
  }));

export const buildOpenApi = (routes: HttpRoute[] = httpRoutes()): Json => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of [...routes].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`))) {
    const key = `${route.method} ${route.path}`;
    const described = route.path.startsWith('/esms/') ? esmsCallback(route) : OPERATIONS[key]?.(route) ?? { summary: route.functionName, responses: { default: error('see the route\'s handler') } };
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
      description: 'eSMS delivery callbacks, the Zalo OA webhook and onboarding, and the read API. Generated by `npm run openapi` from the valibot schemas; do not edit by hand.',
    },
    servers: [
      { url: 'https://api.etelecom.vn', description: 'prod (custom domain, when configured)' },
      { url: 'https://api-sandbox.etelecom.vn', description: 'sandbox (custom domain, when configured)' },
      { url: 'http://localhost:3000', description: 'local stack (npm start)' },
    ],
    paths,
    components: { schemas: components(), securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API_KEYS' } } },
  };
};
