/**
 * POST /zalo/webhook end to end: local HTTP front door (serverless.yml routes) → the Lambda handler
 * module → DynamoDB Local, read back through the read API and the table itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseZaloEvent, type KnownZaloEvent } from '../../lib/zalo/parse';
import { ZALO_FIXTURE_APP_ID, zaloFixture, zaloFixtures } from '../support/fixtures';
import { documentClient, readApi, useStack, type Answer } from '../support/stack';
import { fresh, postZalo, retimed, scanAll, signed, signedEnvelope, unsignedHeaders, type SignedRequest } from './client';
import { zaloMac } from './sign';

const stack = useStack();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const table = () => stack().tables.Messages;
const items = () => scanAll(documentClient(stack().endpoint), table());
const eventItems = async () => (await items()).filter((item) => item.kind === 'zalo');

/** Every fixture but the deliberately forged one, moved to "now" keeping their relative order. */
const goodFixtures = zaloFixtures().filter((fixture) => fixture.name !== 'user_send_text--bad-signature');
const latest = Math.max(...goodFixtures.map((fixture) => Number(JSON.parse(fixture.rawBody).timestamp)));
const base = Date.now() - 5 * MINUTE;
const shifted = (rawBody: string) => base - (latest - Number(JSON.parse(rawBody).timestamp));

interface MessageAnswer { message: { msgId: string; smsId: string | null; events: Array<{ eventName: string; family: string; body: unknown }> } }

/** Sends a request and asserts the table did not change at all (no event, no copy, no rejected entry). */
const refusedWithNothingStored = async (request: SignedRequest, status: number, field?: string): Promise<Answer> => {
  const before = await items();
  const answer = await postZalo(stack(), request);
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ ok: false, ...(field ? { error: { field } } : {}) });
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

  it('a seen receipt naming two messages is found under each of them', async () => {
    const seen = JSON.parse(sent.get('user_seen_message')!.request.rawBody) as { message: { msg_ids: string[] } };
    for (const msgId of seen.message.msg_ids) {
      const read = await readApi<MessageAnswer>(stack(), `/api/zalo/messages/${msgId}`);
      expect(read.body.message.events.filter((event) => event.eventName === 'user_seen_message')).toHaveLength(1);
    }
    const all = (await items()).filter((item) => item.eventName === 'user_seen_message');
    expect(all.map((item) => item.kind).sort()).toEqual(['zalo', 'zalo_copy']);
  });

  it('the ZNS receipt keeps tracking_id, delivery time and the X-ZEvent-Server header', async () => {
    const read = await readApi<MessageAnswer>(stack(), '/api/zalo/messages/15a0cc0bbb13bd4ce403');
    expect(read.body.message.events.find((event) => event.eventName === 'user_received_message')).toMatchObject({
      family: 'zns_delivery', zns: true, trackingId: 'esms-req-20260101-0001', server: 'ZNS',
      deliveredAt: new Date(Number(JSON.parse(zaloFixture('user_received_message').rawBody).message.delivery_time)).toISOString(),
    });
  });
});

describe('refusals: nothing stored', () => {
  const now = () => Date.now();
  const text = zaloFixture('user_send_text');
  const body = (at = now()) => retimed(text.rawBody, at);

  it('the bad-signature fixture: 401', async () => {
    const bad = zaloFixture('user_send_text--bad-signature');
    await refusedWithNothingStored({ rawBody: retimed(bad.rawBody, now()), headers: bad.headers }, 401, 'X-ZEvent-Signature');
  });

  it('forged (signed with another key): 401', async () => {
    await refusedWithNothingStored(signed(body(), unsignedHeaders(text), 'not-the-oa-secret'), 401, 'X-ZEvent-Signature');
  });

  it('unsigned: 401', async () => {
    await refusedWithNothingStored({ rawBody: body(), headers: unsignedHeaders(text) }, 401, 'X-ZEvent-Signature');
  });

  it('stale (27 h old, correctly signed): 401', async () => {
    await refusedWithNothingStored(signed(body(now() - 27 * HOUR)), 401, 'timestamp');
  });

  it('from the future (1 h ahead): 401', async () => {
    await refusedWithNothingStored(signed(body(now() + HOUR)), 401, 'timestamp');
  });

  it('unknown app_id (signed with the fixture key): 401', async () => {
    const rawBody = body().replace(ZALO_FIXTURE_APP_ID, '1111111111111111111');
    await refusedWithNothingStored(signed(rawBody), 401, 'app_id');
  });

  it('re-serialised body: the signature of the bytes Zalo sent does not cover another rendering', async () => {
    const pretty = JSON.stringify(JSON.parse(body()), null, 2);
    const compact = JSON.stringify(JSON.parse(pretty));
    await refusedWithNothingStored({ rawBody: compact, headers: signed(pretty).headers }, 401, 'X-ZEvent-Signature');
    await refusedWithNothingStored({ rawBody: pretty, headers: signed(compact).headers }, 401, 'X-ZEvent-Signature');
  });

  it('malformed JSON (even with a mac header): 400', async () => {
    const broken = body().slice(0, -5);
    await refusedWithNothingStored({ rawBody: broken, headers: { 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` } }, 400, 'body');
    await refusedWithNothingStored({ rawBody: '[1,2]', headers: { 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` } }, 400, 'body');
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

  it('a signed but malformed known event: 400 naming the field, kept raw in the rejected log', async () => {
    const envelope = { ...JSON.parse(zaloFixture('user_send_text').rawBody), timestamp: String(Date.now()), message: { text: 'no id' } };
    const request = signedEnvelope(envelope);
    const before = await eventItems();
    const answer = await postZalo(stack(), request);
    expect(answer).toMatchObject({ status: 400, body: { ok: false, error: { field: 'message.msg_id' } } });
    expect(await eventItems()).toEqual(before);
    const rejected = (await items()).filter((item) => item.kind === 'rejected' && item.raw === request.rawBody);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ source: 'zalo', route: 'webhook', status: 400, field: 'message.msg_id' });
    expect((rejected[0]!.headers as Record<string, string>)['x-zevent-signature']).toBe(zaloMac(request.rawBody));
  });

  it('a signed unknown event_name: 200, stored raw with family "unknown", redelivery is a duplicate', async () => {
    const envelope = { app_id: ZALO_FIXTURE_APP_ID, oa_id: '1397492183140006179', event_name: 'shop_has_order', timestamp: String(Date.now()), order: { id: 'o-1' } };
    const request = signedEnvelope(envelope);
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    const stored = (await eventItems()).filter((item) => item.raw === request.rawBody);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ family: 'unknown', eventName: 'shop_has_order', oaId: '1397492183140006179' });
  });
});

describe('a user\'s conversation with the OA', () => {
  interface Conversation { events: Array<{ eventName: string; eventTime: string; msgIds: string[] }>; next: string | null }

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
    const rest = await readApi<Conversation>(stack(), `${path}?order=desc&limit=2&cursor=${newest.body.next}`);
    expect(rest.body.events.map((event) => event.eventName)).toEqual(['user_send_text']);
    expect((await readApi(stack(), `${path}?order=sideways`)).status).toBe(400);
  });
});
