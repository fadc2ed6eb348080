/**
 * The event adapter on DynamoDB Local: one conditional Put per event costing one WCU for every
 * seed-sized fixture, and a redelivery recognised by the same Put.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { localClient } from '../../infra/local/dynamodb';
import { buildDocumentClient } from '../../lib/store/client';
import { buildZaloEventStore } from '../../lib/store/zalo-events';
import { buildZaloStateStore } from '../../lib/store/zalo-state';
import { stateChanges } from '../../lib/zalo/state';
import { copyItems, eventItem } from '../../lib/zalo/items';
import { zaloFixtures } from '../support/fixtures';
import { uniquePrefix } from '../support/stack';
import { known } from './events';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

const tables = tableNames(uniquePrefix());
const doc = buildDocumentClient(testDynamoEndpoint());
const store = buildZaloEventStore(doc, tables.Messages);

beforeAll(async () => {
  const client = localClient(testDynamoEndpoint());
  await ensureTables(client, tables);
  client.destroy();
});

const received = (name: string, rawBody: string, headers: Record<string, string>) => {
  const parsed = known(rawBody, headers);
  const appId = String((JSON.parse(rawBody) as Record<string, unknown>).app_id);
  return { parsed, item: eventItem({ parsed, tenant: 'default', appId, raw: rawBody, headers, receivedAt: Date.now() }), name };
};

/** DynamoDB's item size: attribute names + values (strings/numbers approximated, which is enough for the bound). */
const approxSize = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, entry) => sum + 1 + approxSize(entry), 0);
  return Object.entries(value as Record<string, unknown>).reduce((sum, [name, entry]) => sum + Buffer.byteLength(name) + approxSize(entry), 0);
};

describe('Zalo event items on DynamoDB Local', () => {
  const events = zaloFixtures().filter((fixture) => !fixture.name.includes('--retry')).map((f) => received(f.name, f.rawBody, f.headers));

  it.each(events.map((event) => [event.name, event] as const))('%s costs 1 WCU (item under 1 KB)', async (_name, { item }) => {
    expect(approxSize(item)).toBeLessThan(1024);
    const first = await store.putEvent(item);
    expect(first).toEqual({ duplicate: false, consumedWcu: 1 });
    expect(await store.putEvent({ ...item, receivedAt: item.receivedAt + 1 })).toEqual({ duplicate: true, consumedWcu: undefined });
  });

  it('copies: one per chat event in its conversation, 1 WCU, never rewritten; none for receipts', async () => {
    const text = events.find((event) => event.name === 'user_send_text')!;
    expect(copyItems(text.item, text.parsed).map((copy) => copy.pk)).toEqual(['T#default#ZCONV#1397492183140006179#5308693166941955879']);
    expect(await store.putCopies(copyItems(text.item, text.parsed))).toBe(1);
    expect(await store.putCopies(copyItems(text.item, text.parsed))).toBe(0);
    for (const name of ['user_seen_message', 'user_received_message']) {
      const receipt = events.find((event) => event.name === name)!;
      expect(copyItems(receipt.item, receipt.parsed), name).toEqual([]);
    }
  });

  it('a seen receipt naming two messages is one item in its conversation\'s receipts, found under each message', async () => {
    const seen = events.find((event) => event.name === 'user_seen_message')!;
    expect(seen.item.pk).toBe('T#default#ZSEEN#1397492183140006179#5308693166941955879');
    for (const msgId of ['1a2b3c4d5e6f7a8b9c0d', '2a3b4c5d6e7f8a9b0c1d']) {
      const read = (await store.eventsOfMessage('default', msgId)).filter((event) => event.eventName === 'user_seen_message');
      expect(read, msgId).toHaveLength(1);
      expect(read[0]).toMatchObject({ kind: 'zalo', pk: seen.item.pk, msgCount: 2 });
      expect(read[0]!.msgIds).toBeUndefined();
    }
    expect(await store.eventsOfMessage('another-tenant', '1a2b3c4d5e6f7a8b9c0d')).toEqual([]);
  });
});

describe('writes per event (measured WCU on a fresh table, all of one webhook call)', () => {
  const fresh = tableNames(uniquePrefix());
  const events = buildZaloEventStore(doc, fresh.Messages);
  const state = buildZaloStateStore(doc, fresh.Messages);
  beforeAll(async () => {
    const client = localClient(testDynamoEndpoint());
    await ensureTables(client, fresh);
    client.destroy();
  });

  /** What the webhook writes for one event: the event, its copies, its state changes. */
  const writeAll = async (name: string, rawBody: string, headers: Record<string, string>) => {
    const { item, parsed } = received(name, rawBody, headers);
    const [event, copies, ...changes] = await Promise.all([
      events.putEvent(item), events.putCopies(copyItems(item, parsed)), ...stateChanges(parsed, 'default').map((change) => state.apply(change)),
    ]);
    return (event.consumedWcu ?? 0) + copies + changes.reduce((sum, change) => sum + (change.consumedWcu ?? 0), 0);
  };

  // 2 = the event + its conversation copy or its state item; 1 = the event alone (receipts, whatever their number of msg_ids);
  // 3 = consent events: the event, the consent item and the phone's pointer (lib/table/zalo.ts, for erasure).
  const expected: Record<string, number> = {
    user_send_text: 2, 'user_send_text--quote': 2, user_send_image: 2, user_send_link: 2, user_send_audio: 2, user_send_video: 2,
    user_send_sticker: 2, user_send_location: 2, user_send_file: 2, user_send_business_card: 2,
    oa_send_text: 2, oa_send_image: 2, oa_send_file: 2, oa_send_sticker: 2, oa_send_gif: 2, oa_send_list: 2,
    anonymous_send_text: 2, user_reacted_message: 2, user_submit_info: 2, user_click_chatnow: 2,
    user_received_message: 1, 'user_received_message--oa': 1, user_seen_message: 1,
    user_feedback: 1, user_click_response_button: 1, add_user_to_tag: 1, user_call_oa: 1, oa_call_user: 1,
    follow: 2, unfollow: 2, oa_send_consent: 3, user_reply_consent: 3, 'oa_send_consent--expired': 3,
    change_template_status: 2, change_template_quality: 2, change_template_quota: 2, change_oa_daily_quota: 2,
    change_oa_template_tags: 2, event_journey_acknowledged: 2, event_journey_time_out: 2,
  };

  it.each(Object.entries(expected))('%s: %i WCU', async (name, wcu) => {
    const fixture = zaloFixtures().find((f) => f.name === name)!;
    expect(await writeAll(name, fixture.rawBody, fixture.headers)).toBe(wcu);
  });
});
