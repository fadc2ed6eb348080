/**
 * Issue 22's erasure at scale, through the real local stack on DynamoDB Local: one tenant holds a phone
 * number in every record kind it can reach (eSMS heads, batch callback items, raw queries in every spelling,
 * the phone index, rejected eSMS queries; Zalo consent events with their consent item and pointer, a ZNS
 * receipt, `user_submit_info` and its conversation copy, `oa_call_user`, a business card, a chat text, an
 * unparsed event in the rejected log; a dead-lettered stream record) plus 50,000 rejected requests (one in
 * a hundred naming the number, in the issue's spellings; a flood from a holder of the tenant's callback token).
 * The erasure route, given a short budget, answers `incomplete` in bounded calls that each stop near the
 * budget, the calls together complete, and a scan of both tables then finds the number in no spelling in
 * any of the tenant's items, while the other tenant's copy stays.
 */
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEventLogEraser } from '../../lib/store/event-log-erasure';
import { buildSuppressionEraser } from '../../lib/store/suppressions';
import { eraseRecipientRoute } from '../../lib/api/erasure';
import { erasedPhone } from '../../lib/esms/erasure';
import { buildDeadLetterEraser, buildDeadLetterStore } from '../../lib/store/dead-letters';
import { buildErasureProgressStore } from '../../lib/store/erasure-progress';
import { buildEsmsEraser, buildRejectedEraser } from '../../lib/store/esms-erasure';
import { buildRejectedStore } from '../../lib/store/rejected';
import { buildZaloErasureStore } from '../../lib/store/zalo-erasure';
import { KIND, TTL_ATTRIBUTE } from '../../lib/table/names';
import { rejectedDayPk } from '../../lib/table/rejected';
import { vietnamDay } from '../../lib/time';
import { localClient } from '../../infra/local/dynamodb';
import { buildZaloEraser } from '../../lib/zalo/erasure';
import { callbackQuery } from '../support/callback-query';
import { zaloFixture } from '../support/fixtures';
import { holdsNumber } from '../support/phone-spellings';
import { documentClient, esmsUrl, getJson, useStack } from '../support/stack';
import { postZalo, signed, unsignedHeaders } from '../zalo/client';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const docs: Array<ReturnType<typeof documentClient>> = [];
const doc = () => (docs[0] ??= documentClient(stack().endpoint));
const raws: DynamoDBClient[] = [];
const raw = () => (raws[0] ??= localClient(stack().endpoint));
afterAll(() => [...docs, ...raws].forEach((d) => d.destroy()));

const TENANT = 'default';
/** The issue's spellings of 0901 888 484. */
const SPELLINGS = ['+84 901 888 484', '0901.888.484', '+84+901+888+484', '%2B84%20901%20888%20484', '84901888484', '0901888484', '0901-888-484'];
const FLOOD = 50_000;
/** One flooded request in this many names the number. */
const NAMING_EVERY = 100;
/** The route's budget per call here (20 s on the stage): small, so the work takes many calls. */
const BUDGET_MS = 3_000;
/** Past the deadline a call finishes the record in hand (a message, a page of the log), then answers. */
const OVERRUN_MS = 2_000;
const REJECTED_RETENTION_DAYS = 30;

const send = async (route: string, query: string, status = 200) => expect((await getJson(esmsUrl(stack(), route, query))).status).toBe(status);
const zalo = async (name: string, change: (envelope: Record<string, unknown>) => void, expected: Record<string, unknown> = { ok: true }) => {
  const fixture = zaloFixture(name);
  const envelope = JSON.parse(fixture.rawBody) as Record<string, unknown>;
  envelope.timestamp = String(Date.now() - 60_000);
  change(envelope);
  const answer = await postZalo(stack(), signed(JSON.stringify(envelope), unsignedHeaders(fixture)));
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject(expected);
};

/**
 * Every item of a table, read in parallel segments, as DynamoDB sends it (not converted: a number in any
 * spelling is in the text of its string values all the same, and converting 50,000 items costs seconds).
 */
const scanTable = async (table: string) => {
  const client = raw();
  const segments = await Promise.all(Array.from({ length: 4 }, async (_, segment) => {
    const items: Array<Record<string, AttributeValue>> = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start, Segment: segment, TotalSegments: 4 }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }));
  return segments.flat();
};

/** Both tables' items, and per tenant those that hold the number in any spelling (converted). */
const scan = async () => {
  const [messages, counters] = await Promise.all([scanTable(stack().tables.Messages), scanTable(stack().tables.Counters)]);
  const holding = (tenant: string) => [
    ...messages.filter((item) => item.pk?.S?.startsWith(`T#${tenant}#`)),
    ...counters.filter((item) => item.pk?.S?.startsWith('DLQ#') && item.record?.S?.includes(`"T#${tenant}#`)),
  ].filter((item) => holdsNumber(JSON.stringify(item))).map((item) => unmarshall(item));
  return { scanned: messages.length + counters.length, holding };
};

const floodItem = (i: number, at: number) => {
  const phone = i % NAMING_EVERY === 0 ? encodeURIComponent(SPELLINGS[(i / NAMING_EVERY) % SPELLINGS.length]!) : `0912${String(i).padStart(6, '0')}`;
  return {
    pk: rejectedDayPk(TENANT, vietnamDay(at)), sk: `${new Date(at).toISOString()}#${String(i).padStart(8, '0')}`,
    kind: KIND.rejected, tenant: TENANT, source: 'esms', route: 'sms', status: 400, field: 'TotalSent', reason: 'TotalSent is not a number',
    raw: `${callbackQuery({ smsId: `flood-${i}`, status: 5, phone })}&TotalSent=x`, receivedAt: at,
    [TTL_ATTRIBUTE]: Math.floor(at / 1000) + REJECTED_RETENTION_DAYS * 86_400,
  };
};

/** The flood, 25 items a BatchWrite, 32 in flight, spread over the last 2 days before `until`. */
const flood = async (until: number) => {
  const batches = Array.from({ length: FLOOD / 25 }, (_, b) => Array.from({ length: 25 }, (_, j) => b * 25 + j));
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((i) => ({ PutRequest: { Item: floodItem(i, until - 1000 - Math.floor((i * 172_000_000) / FLOOD)) } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await doc().send(new BatchWriteCommand({ RequestItems: { [stack().tables.Messages]: requests } }));
        requests = (UnprocessedItems?.[stack().tables.Messages] ?? []) as typeof requests;
      }
    }
  }));
};

describe(`erasure of a phone held by every record kind and ${FLOOD.toLocaleString('en')} rejected requests`, () => {
  it('takes bounded calls that each stop near the budget, together complete, and leave the number in no item of the tenant', async () => {
    const started = Date.now();
    const run = Date.now();
    // eSMS: a single message's head, a batch's callback items, raw queries in every spelling, a rejected query.
    await send('zns', callbackQuery({ smsId: `s-${run}`, typeId: 25, status: 5, sent: 1, success: 1, price: '300.0000', phone: '0901888484', oa: 'oa-1', template: 't-1' }));
    for (const phone of ['84901888484', '0912000002', '0912000003']) {
      await send('sms', callbackQuery({ smsId: `b-${run}`, status: 5, receivers: 3, sent: 3, success: 3, price: '2550.0000', phone }));
    }
    // Each spelling as it stands in the query, and encoded once more (a sender that encodes twice).
    for (const [i, spelling] of SPELLINGS.entries()) {
      await send('sms', callbackQuery({ smsId: `sp-${run}-${i}`, status: 5, sent: 1, success: 1, phone: spelling.replaceAll(' ', '%20') }));
      await send('sms', callbackQuery({ smsId: `sp2-${run}-${i}`, status: 5, sent: 1, success: 1, phone: encodeURIComponent(spelling) }));
    }
    await send('sms', `${callbackQuery({ smsId: `bad-${run}`, status: 5, phone: encodeURIComponent('0901.888.484') })}&TotalSent=x`, 400);
    // Zalo, signed with the settings' app of the tenant: every event kind that names a phone.
    const PHONE = '84901888484';
    await zalo('oa_send_consent', (e) => { e.phone = PHONE; });
    await zalo('user_reply_consent', (e) => { e.phone = PHONE; });
    await zalo('user_received_message', (e) => { (e.recipient as Record<string, unknown>).id = PHONE; });
    await zalo('user_submit_info', (e) => { (e.info as Record<string, unknown>).phone = PHONE; });
    await zalo('oa_call_user', (e) => { e.phone = PHONE; });
    await zalo('user_send_business_card', (e) => {
      const message = e.message as { attachments: Array<{ payload: Record<string, unknown> }> };
      message.attachments[0]!.payload.description = JSON.stringify({ phone: PHONE, qrCodeUrl: 'https://qr.zalo.me/sample' });
      message.attachments[0]!.payload.url = `https://zalo.me/${PHONE}`;
    });
    await zalo('user_send_text', (e) => { (e.message as Record<string, unknown>).text = 'số của tôi 0901888484'; });
    await zalo('user_send_text', (e) => { e.event_name = 'user_send_hologram'; (e.message as Record<string, unknown>).text = 'gọi 0901888484'; }, { unparsed: true });
    // A stream record of the tenant the aggregator could not read.
    await buildDeadLetterStore(doc(), stack().tables.Counters).add({
      shardId: 'shardId-0001', sequenceNumber: '49650000000000000000000000001', reason: 'poison image', at: Date.now(),
      record: { dynamodb: { NewImage: { pk: { S: `T#${TENANT}#M#poison-${run}` }, phone: { S: '0901 888 484' } } } },
    });
    // The other tenant's copy, which stays.
    await buildRejectedStore(doc(), stack().tables.Messages, REJECTED_RETENTION_DAYS).add({
      tenant: 'acme', source: 'esms', route: 'sms', status: 400, field: 'TotalSent', reason: 'x', raw: callbackQuery({ smsId: 'acme', status: 5, phone: '0901888484' }), receivedAt: Date.now(),
    });
    await stack().poller!.drain();
    const seeded = Date.now();

    // Before the flood (its 50,000 items name the number by construction, one in a hundred).
    const seededScan = await scan();
    const before = { found: seededScan.holding(TENANT) };
    const kinds = [...new Set(before.found.map((item) => String(item.kind ?? item.pk)))].sort();
    expect(kinds).toEqual(expect.arrayContaining(['esms', 'esms-cb', 'esms-ph', 'rejected', 'state', 'zalo', 'zalo_copy']));
    // The dead letter holds the number, and expires after 14 days (finding 10).
    const letter = before.found.find((item) => String(item.pk).startsWith('DLQ#'));
    expect(Number(letter?.[TTL_ATTRIBUTE]) - Math.floor(Number(letter?.at) / 1000)).toBe(14 * 86_400);
    for (const name of ['oa_send_consent', 'user_reply_consent', 'user_received_message', 'user_submit_info', 'oa_call_user', 'user_send_business_card', 'user_send_text']) {
      expect(before.found.some((item) => item.kind === 'zalo' && item.eventName === name), name).toBe(true);
    }
    const floodNaming = FLOOD / NAMING_EVERY;
    // The rejected eSMS query and the unparsed Zalo event.
    expect(before.found.filter((item) => item.kind === 'rejected').length).toBe(2);
    const acmeBefore = seededScan.holding('acme');
    expect(acmeBefore).toHaveLength(1);

    const floodStarted = Date.now();
    await flood(floodStarted);
    const flooded = Date.now();
    await stack().poller!.drain();

    // The route as the stage wires it (lib/wiring/api.ts), with a short budget.
    const route = eraseRecipientRoute([
      buildEsmsEraser(doc(), stack().tables.Messages, erasedPhone), buildRejectedEraser(doc(), stack().tables.Messages, REJECTED_RETENTION_DAYS + 2),
      buildZaloEraser(buildZaloErasureStore(doc(), stack().tables.Messages)), buildDeadLetterEraser(doc(), stack().tables.Counters),
      buildEventLogEraser(doc(), stack().tables.Messages), buildSuppressionEraser(doc(), stack().tables.Messages),
    ], buildErasureProgressStore(doc(), stack().tables.Messages), Date.now, BUDGET_MS);
    const request = { pathParameters: { phone: encodeURIComponent('+84 901 888 484') } } as unknown as APIGatewayProxyEventV2;
    const calls: Array<{ changed: number; incomplete?: boolean; ms: number }> = [];
    const erasing = Date.now();
    do {
      const at = Date.now();
      const answer = await route(request, { tenant: TENANT });
      calls.push({ ...answer, ms: Date.now() - at });
    } while (calls.at(-1)!.incomplete === true && calls.length < 100);
    const erased = Date.now();
    const changed = calls.reduce((sum, call) => sum + call.changed, 0);
    const longest = Math.max(...calls.map((call) => call.ms));

    // What the aggregator and projector make of the rewrites recreates nothing.
    await stack().poller!.drain();
    const afterScan = await scan();
    const after = { scanned: afterScan.scanned, found: afterScan.holding(TENANT) };
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log([
      `erasure of a phone in every record kind and ${FLOOD.toLocaleString('en')} rejected requests (${floodNaming.toLocaleString('en')} naming it):`,
      `seeded in ${s(seeded - started)} s + flood in ${s(flooded - floodStarted)} s; ${before.found.length + floodNaming} items held the number (${after.scanned} items in the tables)`,
      `${calls.length} calls of a ${BUDGET_MS} ms budget, longest ${longest} ms, ${changed} records changed, ${s(erased - erasing)} s erasing; ${s(Date.now() - started)} s in all`,
    ].join('\n'));

    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(0, -1).every((call) => call.incomplete === true)).toBe(true);
    expect(calls.at(-1)!.incomplete).toBeUndefined();
    expect(longest).toBeLessThan(BUDGET_MS + OVERRUN_MS);
    expect(after.found).toEqual([]);
    // Each record that held the number changed once (pointers and index items deleted, the rest rewritten);
    // a record the erasers rewrite together with another (an event's copy) counts once.
    expect(changed).toBeGreaterThanOrEqual(floodNaming + 2);
    expect(changed).toBeLessThanOrEqual(before.found.length + floodNaming);
    expect(after.scanned).toBeGreaterThanOrEqual(FLOOD);
    expect(afterScan.holding('acme')).toEqual(acmeBefore);
  }, 240_000);
});
