/**
 * POST /zalo/webhook end to end: local HTTP front door (serverless.yml routes) → the Lambda handler
 * module → DynamoDB Local, read back through the read API and the table itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { vietnamIso } from '../../lib/time';
import { parseZaloEvent, type KnownZaloEvent } from '../../lib/zalo/parse';
import { ZALO_REFUSED_MESSAGE } from '../../lib/zalo/signature';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture, zaloFixtures } from '../support/fixtures';
import { API_KEY, documentClient, postJson, readApi, useStack, type Answer } from '../support/stack';
import { fresh, postZalo, retimed, scanAll, signed, signedEnvelope, unsignedHeaders, type SignedRequest } from './client';
import { zaloMac } from './sign';

const stack = useStack();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const table = () => stack().tables.Messages;
/** The table's items, without drain()'s sentinels (the local poller's own marks). */
const items = async () => (await scanAll(documentClient(stack().endpoint), table())).filter((item) => item.kind !== 'drain');
const eventItems = async () => (await items()).filter((item) => item.kind === 'zalo');

/** Every fixture but the deliberately forged one, moved to "now" keeping their relative order. */
const goodFixtures = zaloFixtures().filter((fixture) => fixture.name !== 'user_send_text--bad-signature');
const latest = Math.max(...goodFixtures.map((fixture) => Number(JSON.parse(fixture.rawBody).timestamp)));
const base = Date.now() - 5 * MINUTE;
const shifted = (rawBody: string) => base - (latest - Number(JSON.parse(rawBody).timestamp));

const AUTH = { authorization: `Bearer ${API_KEY}` };

interface RejectedEntry { id: string; source: string; route: string; status: number; reason: string; field: string; raw: string; headers: Record<string, string> }

/** The entry GET /api/rejected lists for this raw body (today's Vietnam day). */
const listedUnparsed = async (rawBody: string): Promise<RejectedEntry> => {
  const listed = await readApi<{ rejected: RejectedEntry[] }>(stack(), '/api/rejected?limit=1000');
  const entry = listed.body.rejected.find((item) => item.raw === rawBody);
  if (!entry) throw new Error('not listed in GET /api/rejected');
  return entry;
};

interface MessageAnswer { message: { msgId: string; smsId: string | null; events: Array<{ eventName: string; family: string; body: unknown }> } }

/** The one answer every refused signature gets, whatever the reason. */
const REFUSED = { ok: false, error: { field: 'X-ZEvent-Signature', message: ZALO_REFUSED_MESSAGE } };

/** Sends a request and asserts the identical 401 and that the table did not change at all. */
const refusedWithNothingStored = async (request: SignedRequest): Promise<Answer> => {
  // The stream functions' writes of earlier requests settle first. A refused request writes nothing, so the
  // stream has nothing new; an item it wrongly stored would be in the table before its answer.
  await stack().poller!.drain();
  const before = await items();
  const answer = await postZalo(stack(), request);
  expect(answer).toEqual({ status: 401, body: REFUSED });
  expect(await items()).toEqual(before);
  return answer;
};

describe('every fixture through POST /zalo/webhook', () => {
  const sent = new Map<string, { request: SignedRequest; answer: Answer }>();

  beforeAll(async () => {
    // Files sort variants first ("--" < "."): send originals first so the retry is the redelivery.
    const ordered = [...goodFixtures].sort((a, b) => Number(a.name.includes('--retry')) - Number(b.name.includes('--retry')));
    for (const fixture of ordered) {
      const request = fresh(fixture, shifted(fixture.rawBody));
      sent.set(fixture.name, { request, answer: await postZalo(stack(), request) });
    }
  });

  it.each(goodFixtures.map((fixture) => fixture.name))('%s: 200 and stored once as its typed event', async (name) => {
    const { request, answer } = sent.get(name)!;
    const retry = name === 'user_send_text--retry';
    expect(answer).toEqual({ status: 200, body: { ok: true, duplicate: retry } });
    const parsed = parseZaloEvent(JSON.parse(request.rawBody), request.headers, request.rawBody) as KnownZaloEvent;
    expect(parsed.known).toBe(true);
    const stored = (await eventItems()).filter((item) => item.raw === request.rawBody);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'zalo', family: parsed.family, eventName: parsed.event.event_name, appId: ZALO_FIXTURE_APP_ID,
      eventTime: parsed.eventTime, ...(parsed.oaId ? { oaId: parsed.oaId } : {}),
    });
    if (parsed.zns) expect(stored[0]).toMatchObject({ zns: true, server: 'ZNS' });
    for (const msgId of parsed.msgIds) {
      const read = await readApi<MessageAnswer>(stack(), `/api/zalo/messages/${msgId}`);
      expect(read.status).toBe(200);
      expect(read.body.message.events.map((event) => event.eventName)).toContain(parsed.event.event_name);
    }
  });

  it('the retry (same bytes, num_retry: 1) is answered duplicate:true and leaves the first delivery as stored', async () => {
    const first = sent.get('user_send_text')!;
    const retry = sent.get('user_send_text--retry')!;
    expect([first.answer.body, retry.answer.body]).toEqual([{ ok: true, duplicate: false }, { ok: true, duplicate: true }]);
    const stored = (await items()).filter((item) => item.raw === retry.request.rawBody);
    // The event item and its conversation copy, both from the first delivery: the retry wrote nothing.
    expect(stored.map((item) => item.kind).sort()).toEqual(['zalo', 'zalo_copy']);
    expect(stored.every((item) => item.retry === undefined)).toBe(true);
  });

  it('a seen receipt naming two messages is one item, found under each of them', async () => {
    const seen = JSON.parse(sent.get('user_seen_message')!.request.rawBody) as { message: { msg_ids: string[] } };
    for (const msgId of seen.message.msg_ids) {
      const read = await readApi<MessageAnswer>(stack(), `/api/zalo/messages/${msgId}`);
      expect(read.body.message.events.filter((event) => event.eventName === 'user_seen_message')).toHaveLength(1);
    }
    const all = (await items()).filter((item) => item.eventName === 'user_seen_message');
    expect(all.map((item) => item.kind)).toEqual(['zalo']);
  });

  it('the ZNS receipt keeps tracking_id, delivery time and the X-ZEvent-Server header', async () => {
    const read = await readApi<MessageAnswer>(stack(), '/api/zalo/messages/15a0cc0bbb13bd4ce403');
    expect(read.body.message.events.find((event) => event.eventName === 'user_received_message')).toMatchObject({
      family: 'zns_delivery', zns: true, trackingId: 'esms-req-20260101-0001', server: 'ZNS',
      deliveredAt: vietnamIso(Number(JSON.parse(zaloFixture('user_received_message').rawBody).message.delivery_time)),
    });
  });
});

describe('refusals: the same 401, nothing stored', () => {
  const now = () => Date.now();
  const text = zaloFixture('user_send_text');
  const body = (at = now()) => retimed(text.rawBody, at);

  it('the bad-signature fixture', async () => {
    const bad = zaloFixture('user_send_text--bad-signature');
    await refusedWithNothingStored({ rawBody: retimed(bad.rawBody, now()), headers: bad.headers });
  });

  it('forged (signed with another key)', async () => {
    await refusedWithNothingStored(signed(body(), unsignedHeaders(text), 'not-the-oa-secret'));
  });

  it('unsigned', async () => {
    await refusedWithNothingStored({ rawBody: body(), headers: unsignedHeaders(text) });
  });

  it('stale (27 h old, correctly signed)', async () => {
    await refusedWithNothingStored(signed(body(now() - 27 * HOUR)));
  });

  it('from the future (1 h ahead)', async () => {
    await refusedWithNothingStored(signed(body(now() + HOUR)));
  });

  it('unknown app_id (signed with the fixture key): the answer does not tell it from a wrong mac', async () => {
    const rawBody = body().replace(ZALO_FIXTURE_APP_ID, '1111111111111111111');
    await refusedWithNothingStored(signed(rawBody));
  });

  it('no app id at all', async () => {
    const rawBody = body().replace(`"app_id":"${ZALO_FIXTURE_APP_ID}",`, '');
    await refusedWithNothingStored({ rawBody, headers: signed(body()).headers });
  });

  it('re-serialised body: the signature of the bytes Zalo sent does not cover another rendering', async () => {
    const pretty = JSON.stringify(JSON.parse(body()), null, 2);
    const compact = JSON.stringify(JSON.parse(pretty));
    await refusedWithNothingStored({ rawBody: compact, headers: signed(pretty).headers });
    await refusedWithNothingStored({ rawBody: pretty, headers: signed(compact).headers });
  });

  it('a body that is not a JSON object (nothing in it can be signed)', async () => {
    const broken = body().slice(0, -5);
    await refusedWithNothingStored({ rawBody: broken, headers: { 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` } });
    await refusedWithNothingStored({ rawBody: '[1,2]', headers: { 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` } });
  });
});

describe('signature variants: accepted when signed, the same 401 when forged', () => {
  const envelope = () => ({ ...JSON.parse(zaloFixture('user_send_text').rawBody) as Record<string, unknown>, timestamp: String(Date.now()) });
  const withMsg = (over: Record<string, unknown>): Record<string, unknown> => ({ ...envelope(), message: { text: 'variant', msg_id: `variant-${randomUUID()}` }, ...over });
  const mac = (rawBody: string, appId: string, digits: string, key = ZALO_FIXTURE_SECRET) =>
    createHash('sha256').update(`${appId}${rawBody}${digits}${key}`).digest('hex');
  const header = (request: SignedRequest, value: string): SignedRequest => ({ ...request, headers: { ...request.headers, 'X-ZEvent-Signature': value } });
  const timestampOf = (rawBody: string) => String((JSON.parse(rawBody) as { timestamp: unknown }).timestamp);

  const variants: Array<[string, () => SignedRequest, (request: SignedRequest) => SignedRequest]> = [
    ['bare hex',
      () => { const request = signed(JSON.stringify(withMsg({}))); return header(request, request.headers['X-ZEvent-Signature']!.slice(4)); },
      (request) => header(request, mac(request.rawBody, ZALO_FIXTURE_APP_ID, timestampOf(request.rawBody), 'forged-key'))],
    ['uppercase hex',
      () => { const request = signed(JSON.stringify(withMsg({}))); return header(request, `mac=${request.headers['X-ZEvent-Signature']!.slice(4).toUpperCase()}`); },
      (request) => ({ ...request, rawBody: request.rawBody.replace('"variant"', '"forged!"') })],
    ['appId instead of app_id', () => {
      const { app_id: appId, ...rest } = withMsg({});
      const rawBody = JSON.stringify({ appId, ...rest });
      return { rawBody, headers: { 'X-ZEvent-Signature': `mac=${mac(rawBody, String(appId), String(rest.timestamp))}` } };
    }, (request) => ({ ...request, rawBody: request.rawBody.replace('"variant"', '"forged!"') })],
    ['a numeric timestamp', () => {
      const at = Date.now();
      const rawBody = JSON.stringify(withMsg({ timestamp: at }));
      return { rawBody, headers: { 'X-ZEvent-Signature': `mac=${mac(rawBody, ZALO_FIXTURE_APP_ID, String(at))}` } };
    }, (request) => header(request, `mac=${mac(request.rawBody, ZALO_FIXTURE_APP_ID, `${timestampOf(request.rawBody)}.0`)}`)],
  ];

  it.each(variants)('%s', async (_name, build, forge) => {
    const request = build();
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect((await eventItems()).filter((item) => item.raw === request.rawBody)).toHaveLength(1);
    await refusedWithNothingStored(forge(request));
  });
});

describe('accepted shapes and kept rejects', () => {
  it('a pretty-printed body signed on its own bytes is accepted', async () => {
    const rawBody = JSON.stringify(JSON.parse(retimed(zaloFixture('oa_send_text').rawBody, Date.now())), null, 2)
      .replace('1a2b3c4d5e6f7a8b9c0d', 'pretty000000000000001');
    const answer = await postZalo(stack(), signed(rawBody));
    expect(answer).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect((await eventItems()).filter((item) => item.raw === rawBody)).toHaveLength(1);
  });

  it('a base64-encoded body (non-text content type) is verified on its decoded bytes', async () => {
    const envelope = { ...JSON.parse(zaloFixture('user_send_text').rawBody), timestamp: String(Date.now()), message: { text: 'b64', msg_id: 'b64msg0001' } };
    const request = signedEnvelope(envelope, { 'Content-Type': 'application/octet-stream' });
    const answer = await postZalo(stack(), request);
    expect(answer.status).toBe(200);
    expect((await eventItems()).filter((item) => item.raw === request.rawBody)).toHaveLength(1);
  });

  it('a signed known event of an unexpected shape: 200, kept raw as unparsed (GET /api/rejected), replay says it still does not parse', async () => {
    const envelope = { ...JSON.parse(zaloFixture('user_send_text').rawBody), timestamp: String(Date.now()), message: { text: 'no id' } };
    const request = signedEnvelope(envelope);
    const before = await eventItems();
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
    expect(await eventItems()).toEqual(before);
    const listed = await listedUnparsed(request.rawBody);
    expect(listed).toMatchObject({ source: 'zalo', route: 'webhook', status: 200, reason: 'unparsed', field: 'message.msg_id' });
    expect(listed.headers['x-zevent-signature']).toBe(zaloMac(request.rawBody));
    const replay = await postJson<{ results: Array<{ outcome: string; field?: string }> }>(`${stack().url}/api/replay`, JSON.stringify({ ids: [listed.id] }), AUTH);
    expect(replay.body.results).toEqual([expect.objectContaining({ outcome: 'rejected', field: 'message.msg_id' })]);
  });

  it('an unparsed entry that today\'s parsers can read is stored by POST /api/replay under its tenant', async () => {
    const envelope = { ...JSON.parse(zaloFixture('follow').rawBody), timestamp: String(Date.now()), follower: { id: `u-${randomUUID()}` } };
    const request = signedEnvelope({ ...envelope, event_name: 'follow_v2' });
    expect((await postZalo(stack(), request)).body).toMatchObject({ unparsed: true });
    const listed = await listedUnparsed(request.rawBody);
    // Stand-in for a parser that learnt the new name: the kept entry's body becomes one it reads.
    const kept = (await items()).find((item) => item.kind === 'rejected' && item.sk === listed.id)!;
    await documentClient(stack().endpoint).send(new PutCommand({ TableName: table(), Item: { ...kept, raw: JSON.stringify(envelope) } }));
    const replay = await postJson<{ results: Array<{ outcome: string }> }>(`${stack().url}/api/replay`, JSON.stringify({ ids: [listed.id] }), AUTH);
    expect(replay.body.results).toEqual([expect.objectContaining({ outcome: 'stored' })]);
    const stored = (await eventItems()).filter((item) => item.raw === JSON.stringify(envelope));
    expect(stored).toEqual([expect.objectContaining({ tenant: 'default', eventName: 'follow', pk: expect.stringMatching(/^T#default#ZEV#/) })]);
  });

  it('a signed unknown event_name: 200, listed unparsed, not stored as an event', async () => {
    const envelope = { app_id: ZALO_FIXTURE_APP_ID, oa_id: '1397492183140006179', event_name: 'shop_has_order', timestamp: String(Date.now()), order: { id: 'o-1' } };
    const request = signedEnvelope(envelope);
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
    expect((await eventItems()).filter((item) => item.raw === request.rawBody)).toEqual([]);
    expect(await listedUnparsed(request.rawBody)).toMatchObject({ reason: 'unparsed', field: 'event_name', status: 200 });
  });

  it('a signed body without event_name, or whose event_name is not a string: 200, unparsed', async () => {
    for (const over of [{ event_name: undefined }, { event_name: 42 }]) {
      const request = signedEnvelope({ ...JSON.parse(zaloFixture('follow').rawBody), timestamp: String(Date.now()), nonce: randomUUID(), ...over });
      expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
      expect(await listedUnparsed(request.rawBody)).toMatchObject({ field: 'event_name' });
    }
  });
});

describe('a user\'s conversation with the OA', () => {
  interface Conversation { events: Array<{ eventName: string; eventTime: string; msgIds: string[] }>; next?: string }

  it('lists chat events of one (OA, user) in time order, either way, paginated; receipts stay out', async () => {
    const userId = `user-${Date.now()}`;
    const oaId = '1397492183140006179';
    const t = Date.now() - 60_000;
    const chat = [
      ['user_send_text', t, { sender: { id: userId } }],
      ['oa_send_text', t + 1000, { recipient: { id: userId } }],
      ['user_send_image', t + 2000, { sender: { id: userId } }],
      ['user_received_message--oa', t + 3000, { recipient: { id: userId } }],
    ] as const;
    for (const [name, at, party] of [...chat].reverse()) {
      const envelope = JSON.parse(zaloFixture(name).rawBody) as { message: Record<string, unknown> };
      const request = signedEnvelope({ ...envelope, ...party, timestamp: String(at), message: { ...envelope.message, msg_id: `${userId}-${name}` } });
      expect((await postZalo(stack(), request)).status).toBe(200);
    }
    const path = `/api/oa/${oaId}/users/${userId}/messages`;
    const all = await readApi<Conversation>(stack(), path);
    expect(all.body.events.map((event) => event.eventName)).toEqual(['user_send_text', 'oa_send_text', 'user_send_image']);
    const newest = await readApi<Conversation>(stack(), `${path}?order=desc&limit=2`);
    expect(newest.body.events.map((event) => event.eventName)).toEqual(['user_send_image', 'oa_send_text']);
    const rest = await readApi<Conversation>(stack(), `${path}?order=desc&limit=2&next=${newest.body.next}`);
    expect(rest.body.events.map((event) => event.eventName)).toEqual(['user_send_text']);
    expect((await readApi(stack(), `${path}?order=sideways`)).status).toBe(400);
  });
});
