/**
 * Real answers of every read and admin route, on a stack seeded with eSMS callbacks (several channels,
 * statuses, a batch walking 7 → 5, rejected and replayed requests) and the Zalo fixtures, are what
 * docs/openapi.json says: each status is one the operation documents, and each JSON body validates against
 * the operation's response schema in the document (ajv, references resolved in the document) and parses
 * through the valibot schema it was generated from (lib/api/answers.ts, lib/http/bodies.ts). CSV answers
 * are text/csv where the document lists text/csv. Every keyed route of OPERATIONS is called at least once;
 * an eSMS callback and the Zalo webhook are checked the same way against their inbound answer schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { OPERATIONS } from '../../infra/tools/openapi-document';
import { ANSWERS, okAnswer } from '../../lib/api/answers';
import { ErrorBodySchema, InboundAnswerSchema, ZaloWebhookAnswerSchema } from '../../lib/http/bodies';
import { seedConsole, SEED_PHONE } from '../console/seed';
import { startReceiver, type Receiver } from '../destinations/receiver';
import { ZALO_FIXTURE_APP_ID, zaloFixture } from '../support/fixtures';
import { API_KEY, TOKEN, useStack } from '../support/stack';
import { ADMIN_KEY, TENANT_ENV } from '../tenants/admin-client';
import { zaloMac } from '../zalo/sign';

const stack = useStack({
  env: { ...TENANT_ENV, ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: 'test-app-secret' }), ZALO_STATE_SECRET: 'test-state-secret' },
  aggregator: { batchWindowMs: 50 },
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the OpenAPI document as read
const document = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8')) as Json;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'openapi.json', components: document.components });

const OA = '1397492183140006179';
const USER = '5308693166941955879';
const RECEIPT_MSG = '15a0cc0bbb13bd4ce403';
const JOURNEY = '1260521718358967296';

interface Call {
  /** `METHOD /template` of the document. */
  route: string;
  path: string;
  status: number;
  body?: unknown;
  key?: string | null;
  csv?: boolean;
}

/** The providers' routes answer the inbound bodies of lib/http/bodies.ts. */
const PROVIDER_ANSWERS: Record<string, v.GenericSchema> = { 'GET /esms/{token}/sms': InboundAnswerSchema, 'POST /zalo/webhook': ZaloWebhookAnswerSchema };

interface Checked { route: string; status: number }
const checked: Checked[] = [];
let receiver: Receiver;
let seeded: { day: string; smsIds: string[] };

/** Sends the call, then checks its answer against the document and the valibot schema. */
const check = async (call: Call): Promise<Json> => {
  const [method, template] = call.route.split(' ') as [string, string];
  const key = call.key === undefined ? (OPERATIONS[call.route]?.auth === 'admin' ? ADMIN_KEY : API_KEY) : call.key;
  const response = await fetch(`${stack().url}${call.path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(call.body !== undefined ? { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) } : {}),
  });
  const text = await response.text();
  const label = `${call.route} (${call.path}) → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, label).toBe(call.status);
  const operation = document.paths[template]?.[method.toLowerCase()] as Json | undefined;
  expect(operation, `${call.route} is in docs/openapi.json`).toBeDefined();
  const documented = operation!.responses[String(response.status)] as Json | undefined;
  expect(documented, `${label}: status documented`).toBeDefined();
  checked.push({ route: call.route, status: response.status });
  if (call.csv) {
    expect(response.headers.get('content-type'), label).toMatch(/^text\/csv/);
    expect(Object.keys(documented!.content), label).toContain('text/csv');
    return {};
  }
  expect(response.headers.get('content-type'), label).toMatch(/^application\/json/);
  const body = JSON.parse(text) as Json;
  const validate = ajv.compile({ $ref: `openapi.json${documented!.content['application/json'].schema.$ref}` });
  expect(validate(body) ? [] : validate.errors, `${label}: the document's schema`).toEqual([]);
  const name = OPERATIONS[call.route]?.ok[response.status as 200 | 201 | 202];
  const valibot = response.status >= 400 ? ErrorBodySchema : name ? okAnswer(ANSWERS[name]) : PROVIDER_ANSWERS[call.route];
  expect(valibot, `${label}: a valibot schema`).toBeDefined();
  const parsed = v.safeParse(valibot!, body);
  expect(parsed.success ? [] : v.flatten(parsed.issues), `${label}: the valibot schema`).toEqual([]);
  return body;
};

beforeAll(async () => {
  receiver = await startReceiver(204);
  seeded = await seedConsole(stack(), TOKEN, API_KEY, 30);
  // The seed sends the confirmed Zalo fixtures; a Journey event (shape not confirmed by Zalo's docs) is sent here, re-timed and signed.
  const journey = zaloFixture('event_journey_acknowledged').rawBody.replace(/"timestamp":"\d+"/, `"timestamp":"${Date.now()}"`);
  const stored = await fetch(`${stack().url}/zalo/webhook`, { method: 'POST', body: journey, headers: { 'content-type': 'application/json', 'x-zevent-signature': zaloMac(journey) } });
  expect(stored.status).toBe(200);
}, 300_000);
afterAll(async () => { await receiver?.close(); });

describe('real answers versus docs/openapi.json', () => {
  it('the read routes (eSMS, reports, rejected, replay, Zalo, onboarding): success and refusals', async () => {
    const { day, smsIds } = seeded;
    await check({ route: 'GET /api/esms/messages/{smsid}', path: `/api/esms/messages/${smsIds[0]}`, status: 200 });
    await check({ route: 'GET /api/esms/messages/{smsid}', path: `/api/esms/messages/${smsIds[4]}?limit=1`, status: 200 });
    await check({ route: 'GET /api/esms/messages/{smsid}', path: '/api/esms/messages/never-stored', status: 404 });
    await check({ route: 'GET /api/esms/messages/{smsid}', path: `/api/esms/messages/${smsIds[0]}`, status: 401, key: null });
    await check({ route: 'GET /api/esms/messages/{smsid}', path: `/api/esms/messages/${smsIds[0]}`, status: 400, key: ADMIN_KEY });
    await check({ route: 'GET /api/esms/messages/{smsid}', path: `/api/esms/messages/${smsIds[0]}?tenant=default`, status: 200, key: ADMIN_KEY });
    const page = await check({ route: 'GET /api/esms/messages', path: `/api/esms/messages?day=${day}&limit=5`, status: 200 });
    expect(page.messages).toHaveLength(5);
    await check({ route: 'GET /api/esms/messages', path: `/api/esms/messages?day=${day}&next=${encodeURIComponent(page.next as string)}`, status: 200 });
    await check({ route: 'GET /api/esms/messages', path: `/api/esms/messages?phone=${SEED_PHONE}`, status: 200 });
    await check({ route: 'GET /api/esms/messages', path: `/api/esms/messages?day=${day}&format=csv`, status: 200, csv: true });
    await check({ route: 'GET /api/esms/messages', path: '/api/esms/messages?day=2026-02-30', status: 400 });
    await check({ route: 'GET /api/rejected', path: `/api/rejected?day=${day}`, status: 200 });
    await check({ route: 'POST /api/replay', path: '/api/replay', body: { day }, status: 200 });
    await check({ route: 'POST /api/replay', path: '/api/replay', body: { ids: ['no-such-id'] }, status: 200 });
    await check({ route: 'POST /api/replay', path: '/api/replay', body: '{"day":', status: 400 });
    for (const by of ['channel', 'telco', 'status', 'oa', 'template']) await check({ route: 'GET /api/reports/daily', path: `/api/reports/daily?from=${day}&by=${by}`, status: 200 });
    await check({ route: 'GET /api/reports/daily', path: `/api/reports/daily?from=${day}&format=csv`, status: 200, csv: true });
    await check({ route: 'GET /api/reports/daily', path: `/api/reports/daily?from=${day}&by=nothing`, status: 400 });
    await check({ route: 'GET /api/zalo/messages/{msgId}', path: `/api/zalo/messages/${RECEIPT_MSG}`, status: 200 });
    await check({ route: 'GET /api/zalo/messages/{msgId}', path: '/api/zalo/messages/none', status: 404 });
    await check({ route: 'GET /api/oa/{oaId}/followers', path: `/api/oa/${OA}/followers`, status: 200 });
    await check({ route: 'GET /api/oa/{oaId}/users/{userId}/messages', path: `/api/oa/${OA}/users/${USER}/messages?order=desc`, status: 200 });
    await check({ route: 'GET /api/oa/{oaId}/state', path: `/api/oa/${OA}/state?phone=84901888484`, status: 200 });
    await check({ route: 'GET /api/oa/{oaId}/state', path: '/api/oa/1/state', status: 404 });
    await check({ route: 'GET /api/zalo/journeys/{journeyId}', path: `/api/zalo/journeys/${JOURNEY}`, status: 200 });
    await check({ route: 'POST /api/zalo/oa-connect-links', path: '/api/zalo/oa-connect-links', body: { appId: ZALO_FIXTURE_APP_ID }, status: 201 });
    await check({ route: 'GET /api/onboarding', path: `/api/onboarding?app=${ZALO_FIXTURE_APP_ID}`, status: 200 });
    // A ZNS refused for want of a Zalo account suppresses its phone (the projector, from the stream).
    const refused = 'SMSID=openapi-sup-1&SendStatus=5&TypeId=25&TotalReceiver=1&TotalSent=1&SendSuccess=0&SendFailed=1&TotalPrice=0&telcoid=1&phonenumber=0909000118&oaid=4368496045530136633&tempid=312881&error_info=%7B%22error%22%3A-118%2C%22message%22%3A%22Zalo%20account%20not%20existed%22%7D';
    expect((await fetch(`${stack().url}/esms/${TOKEN}/zns?${refused}`)).status).toBe(200);
    await stack().poller!.drain();
    await check({ route: 'GET /api/suppressions', path: '/api/suppressions?limit=10', status: 200 });
    await check({ route: 'GET /api/suppressions', path: '/api/suppressions?format=csv', status: 200, csv: true });
    await check({ route: 'GET /api/suppressions/{phone}', path: '/api/suppressions/0909000118', status: 200 });
    await check({ route: 'DELETE /api/suppressions/{phone}', path: '/api/suppressions/0909000118', status: 200 });
    await check({ route: 'GET /api/suppressions/{phone}', path: '/api/suppressions/0909000118', status: 404 });
    await check({ route: 'DELETE /api/suppressions/{phone}', path: '/api/suppressions/0909000118', status: 404 });
    await check({ route: 'GET /api/usage', path: `/api/usage?month=${day.slice(0, 7)}`, status: 200 });
    await check({ route: 'GET /api/usage', path: '/api/usage', status: 200, key: ADMIN_KEY });
    await check({ route: 'GET /api/usage', path: '/api/usage?month=2026-13', status: 400 });
    await check({ route: 'DELETE /api/recipients/{phone}', path: `/api/recipients/${SEED_PHONE}`, status: 200 });
    await check({ route: 'DELETE /api/recipients/{phone}', path: '/api/recipients/1', status: 400 });
  });

  it('the providers\' routes: an eSMS callback (stored, duplicate, malformed, unknown token) and a Zalo event (signed, refused)', async () => {
    const query = 'SMSID=openapi-0001&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=850&TotalReceiver=1&TotalSent=1&TypeId=2&telcoid=1&phonenumber=0901000001';
    await check({ route: 'GET /esms/{token}/sms', path: `/esms/${TOKEN}/sms?${query}`, status: 200, key: null });
    await check({ route: 'GET /esms/{token}/sms', path: `/esms/${TOKEN}/sms?${query}`, status: 200, key: null });
    await check({ route: 'GET /esms/{token}/sms', path: `/esms/${TOKEN}/sms?SMSID=openapi-0002&SendStatus=9&TypeId=2`, status: 400, key: null });
    await check({ route: 'GET /esms/{token}/sms', path: `/esms/no-such-token/sms?${query}`, status: 404, key: null });
    const event = zaloFixture('user_send_text').rawBody.replace(/"timestamp":"\d+"/, `"timestamp":"${Date.now()}"`);
    const signed = await fetch(`${stack().url}/zalo/webhook`, { method: 'POST', body: event, headers: { 'content-type': 'application/json', 'x-zevent-signature': zaloMac(event) } });
    expect(signed.status).toBe(200);
    expect(v.is(ZaloWebhookAnswerSchema, await signed.json())).toBe(true);
    await check({ route: 'POST /zalo/webhook', path: '/zalo/webhook', body: event, status: 401, key: null });
  });

  it('the destination routes: created (201), queued (202), listed, changed, rotated, removed, and their 404s', async () => {
    const created = await check({ route: 'POST /api/destinations', path: '/api/destinations', body: { url: receiver.url, description: 'openapi answers' }, status: 201 });
    const id = created.id as string;
    await check({ route: 'POST /api/destinations', path: '/api/destinations', body: { url: 'ftp://nowhere' }, status: 400 });
    await check({ route: 'POST /api/destinations', path: '/api/destinations', body: JSON.stringify({ url: 'x'.repeat(9000) }), status: 413 });
    await check({ route: 'GET /api/destinations', path: '/api/destinations', status: 200 });
    await check({ route: 'GET /api/destinations/{id}', path: `/api/destinations/${id}`, status: 200 });
    await check({ route: 'GET /api/destinations/{id}', path: '/api/destinations/dst_none', status: 404 });
    await check({ route: 'PATCH /api/destinations/{id}', path: `/api/destinations/${id}`, body: { events: ['esms.message.updated'] }, status: 200 });
    await check({ route: 'POST /api/destinations/{id}/rotate-secret', path: `/api/destinations/${id}/rotate-secret`, status: 200 });
    await check({ route: 'POST /api/destinations/{id}/test', path: `/api/destinations/${id}/test`, status: 202 });
    await receiver.waitFor(1);
    await check({ route: 'GET /api/destinations/{id}/attempts', path: `/api/destinations/${id}/attempts`, status: 200 });
    const now = Date.now();
    await check({ route: 'POST /api/destinations/{id}/replay', path: `/api/destinations/${id}/replay`, body: { from: new Date(now - 3_600_000).toISOString(), to: new Date(now).toISOString() }, status: 202 });
    await check({ route: 'PATCH /api/destinations/{id}', path: `/api/destinations/${id}`, body: { enabled: false }, status: 200 });
    await check({ route: 'POST /api/destinations/{id}/test', path: `/api/destinations/${id}/test`, status: 409 });
    await check({ route: 'DELETE /api/destinations/{id}', path: `/api/destinations/${id}`, status: 200 });
    await check({ route: 'DELETE /api/destinations/{id}', path: `/api/destinations/${id}`, status: 404 });
  });

  it('the admin routes: a tenant\'s life from creation to offboarding, with its credentials, apps and operations', async () => {
    const t = 'openapi-acme';
    await check({ route: 'POST /api/admin/tenants', path: '/api/admin/tenants', body: { id: t, name: 'ACME' }, status: 201 });
    await check({ route: 'POST /api/admin/tenants', path: '/api/admin/tenants', body: { id: t }, status: 409 });
    await check({ route: 'POST /api/admin/tenants', path: '/api/admin/tenants', body: { id: 'X' }, status: 400 });
    await check({ route: 'POST /api/admin/tenants', path: '/api/admin/tenants', body: { id: t }, status: 403, key: API_KEY });
    await check({ route: 'GET /api/admin/tenants', path: '/api/admin/tenants?limit=10', status: 200 });
    const key = await check({ route: 'POST /api/admin/tenants/{id}/api-keys', path: `/api/admin/tenants/${t}/api-keys`, status: 201 });
    const token = await check({ route: 'POST /api/admin/tenants/{id}/esms-tokens', path: `/api/admin/tenants/${t}/esms-tokens`, status: 201 });
    await check({ route: 'PUT /api/admin/tenants/{id}/zalo-apps/{appId}', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000001`, body: {}, status: 201 });
    await check({ route: 'PUT /api/admin/tenants/{id}/zalo-apps/{appId}', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000001`, body: { oaSecretKey: 'openapi-secret' }, status: 200 });
    await check({ route: 'POST /api/admin/tenants/{id}/zalo-apps/{appId}/drain', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000001/drain`, status: 200 });
    await check({ route: 'POST /api/admin/tenants/{id}/zalo-apps/{appId}/drain', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000009/drain`, status: 404 });
    await check({ route: 'DELETE /api/admin/tenants/{id}/zalo-apps/{appId}', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000001`, status: 200 });
    await check({ route: 'DELETE /api/admin/tenants/{id}/zalo-apps/{appId}', path: `/api/admin/tenants/${t}/zalo-apps/4000000000000000001`, status: 404 });
    await check({ route: 'POST /api/admin/reconcile', path: '/api/admin/reconcile', body: { tenant: t }, status: 409 });
    await check({ route: 'PUT /api/admin/tenants/{id}/esms-account', path: `/api/admin/tenants/${t}/esms-account`, body: { apiKey: 'openapi-api-key', secretKey: 'openapi-secret-key' }, status: 200 });
    await check({ route: 'PUT /api/admin/tenants/{id}/site-verification/{code}', path: `/api/admin/tenants/${t}/site-verification/openapi-code`, status: 201 });
    await check({ route: 'PUT /api/admin/tenants/{id}/site-verification/{code}', path: `/api/admin/tenants/${t}/site-verification/openapi-code`, status: 200 });
    await check({ route: 'DELETE /api/admin/tenants/{id}/site-verification/{code}', path: `/api/admin/tenants/${t}/site-verification/openapi-code`, status: 200 });
    // The key used once, so the inventory's lastUsedAt is checked as a time (the token's as null).
    await check({ route: 'GET /api/destinations', path: '/api/destinations', status: 200, key: key.key as string });
    const inventory = await check({ route: 'GET /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}`, status: 200 });
    expect(inventory).toMatchObject({ credentials: { apiKeys: [{ lastUsedAt: expect.stringMatching(/\+07:00$/) }], esmsTokens: [{ lastUsedAt: null }] } });
    await check({ route: 'GET /api/admin/tenants/{id}', path: '/api/admin/tenants/never-made', status: 404 });
    await check({ route: 'PATCH /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}`, body: { retentionDays: 30, suspended: true }, status: 200 });
    await check({ route: 'GET /api/destinations', path: '/api/destinations', status: 403, key: key.key as string });
    await check({ route: 'PATCH /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}`, body: { suspended: false }, status: 200 });
    await check({ route: 'PATCH /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}`, body: {}, status: 400 });
    const now = Date.now();
    await check({ route: 'POST /api/admin/reconcile', path: '/api/admin/reconcile', body: { tenant: t, from: new Date(now - 3_600_000).toISOString(), to: new Date(now).toISOString() }, status: 200 });
    await check({ route: 'POST /api/admin/late-sweep', path: '/api/admin/late-sweep', body: { tenant: 'default' }, status: 200 });
    await check({ route: 'POST /api/admin/late-sweep', path: '/api/admin/late-sweep', status: 200 });
    await check({ route: 'POST /api/admin/zalo/followers-backfill', path: '/api/admin/zalo/followers-backfill', body: { tenant: 'default', oaId: OA }, status: 404 });
    await check({ route: 'DELETE /api/admin/tenants/{id}/api-keys/{keyId}', path: `/api/admin/tenants/${t}/api-keys/${key.keyId as string}`, status: 200 });
    await check({ route: 'DELETE /api/admin/tenants/{id}/esms-tokens/{tokenId}', path: `/api/admin/tenants/${t}/esms-tokens/${token.tokenId as string}`, status: 200 });
    await check({ route: 'DELETE /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}`, status: 400 });
    await check({ route: 'DELETE /api/admin/tenants/{id}', path: '/api/admin/tenants/default?confirm=default', status: 409 });
    let offboard = await check({ route: 'DELETE /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}?confirm=${t}`, status: 200 });
    for (let round = 0; offboard.incomplete === true && round < 3; round += 1) {
      offboard = await check({ route: 'DELETE /api/admin/tenants/{id}', path: `/api/admin/tenants/${t}?confirm=${t}`, status: 200 });
    }
  });

  it('every keyed route of docs/openapi.json was called, with a success status and at least one refusal overall', () => {
    const called = new Set(checked.map((one) => one.route));
    expect(Object.keys(OPERATIONS).filter((route) => !called.has(route))).toEqual([]);
    const successes = new Set(checked.filter((one) => one.status < 300).map((one) => one.route));
    // The backfill needs a connected OA (test/zalo-oa/backfill tests): here its documented 404 is what is checked.
    expect(Object.keys(OPERATIONS).filter((route) => !successes.has(route))).toEqual(['POST /api/admin/zalo/followers-backfill']);
    expect(new Set(checked.map((one) => one.status))).toEqual(new Set([200, 201, 202, 400, 401, 403, 404, 409, 413]));
  });
});
