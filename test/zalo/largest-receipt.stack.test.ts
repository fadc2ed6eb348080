/**
 * Receipts with many ids: the largest `user_seen_message` that fits Zalo's body limit is ONE write request
 * (one conditional PutItem of one item), not one per msg_id, and each message it names still shows it.
 * Counted at the SDK (every command the real adapters send to DynamoDB Local) and through HTTP.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../infra/local/tables';
import { BODY_LIMITS } from '../../lib/http/limits';
import { buildDocumentClient } from '../../lib/store/client';
import { buildZaloEventStore } from '../../lib/store/zalo-events';
import { buildZaloStateStore } from '../../lib/store/zalo-state';
import { buildZaloIngest } from '../../lib/inbound/zalo';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture } from '../support/fixtures';
import { dynamoItemBytes } from '../support/item-size';
import { documentClient, readApi, uniquePrefix, useStack } from '../support/stack';
import { fresh, postZalo, scanAll, signed, signedEnvelope } from './client';
import { largestReceipt } from './largest-receipt';
import { testDynamoEndpoint } from '../support/dynamo-endpoint';

describe('the largest seen receipt, at the adapter (every DynamoDB request counted)', () => {
  const tables = tableNames(uniquePrefix());
  const doc = buildDocumentClient(testDynamoEndpoint());
  const sent: string[] = [];
  doc.middlewareStack.add((next, context) => async (args) => {
    sent.push(String(context.commandName));
    return next(args);
  }, { step: 'initialize', name: 'countRequests' });
  const ingest = buildZaloIngest({
    apps: { find: async (appId) => (appId === ZALO_FIXTURE_APP_ID ? { appId, tenant: 'default', secret: ZALO_FIXTURE_SECRET } : undefined) },
    pending: { keep: async () => { throw new Error('no app is pending here'); } },
    revocations: { markRevoked: async () => { throw new Error('nothing is revoked here'); } },
    events: buildZaloEventStore(doc, tables.Messages),
    state: buildZaloStateStore(doc, tables.Messages),
    rejected: { add: async () => { throw new Error('nothing is rejected here'); } },
    now: Date.now,
    telemetry: { count: () => undefined },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });

  beforeAll(async () => {
    const client = localClient(testDynamoEndpoint());
    await ensureTables(client, tables);
    client.destroy();
  });

  it('fills the body limit with thousands of ids, and is answered with one PutItem; its redelivery with one refused PutItem', async () => {
    const receipt = largestReceipt(Date.now() - 1000, 'adapter');
    expect(Buffer.byteLength(receipt.rawBody)).toBeLessThanOrEqual(BODY_LIMITS.zaloWebhook);
    expect(Buffer.byteLength(receipt.rawBody)).toBeGreaterThan(BODY_LIMITS.zaloWebhook - 23);
    expect(receipt.msgIds.length).toBeGreaterThan(5000);
    const event = { headers: signed(receipt.rawBody).headers, body: receipt.rawBody, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
    const answer = await ingest(event);
    expect(JSON.parse(answer.body ?? '{}')).toEqual({ ok: true, duplicate: false });
    expect(sent).toEqual(['PutItemCommand']);
    sent.length = 0;
    expect(JSON.parse((await ingest(event)).body ?? '{}')).toEqual({ ok: true, duplicate: true });
    expect(sent).toEqual(['PutItemCommand']);
  });
});

describe('the largest seen receipt through POST /zalo/webhook', () => {
  const stack = useStack();

  it('adds exactly one item to the table, and the messages it names show it', async () => {
    const at = Date.now() - 5000;
    const receipt = largestReceipt(at + 1000, 'http');
    // The OA's echoes of the first and the last message it names: what ties a message to its conversation.
    for (const msgId of [receipt.msgIds[0]!, receipt.msgIds.at(-1)!]) {
      const echo = JSON.parse(fresh(zaloFixture('oa_send_text'), at).rawBody) as { message: Record<string, unknown> };
      expect((await postZalo(stack(), signedEnvelope({ ...echo, message: { ...echo.message, msg_id: msgId } }))).status).toBe(200);
    }
    const doc = documentClient(stack().endpoint);
    // The stream functions' writes settle before and after, so `added` is this receipt's items and no earlier ones'.
    await stack().poller!.drain();
    const before = await scanAll(doc, stack().tables.Messages);
    expect(await postZalo(stack(), signed(receipt.rawBody))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    await stack().poller!.drain();
    const after = await scanAll(doc, stack().tables.Messages);
    const added = after.filter((item) => item.kind !== 'drain' && !before.some((old) => old.pk === item.pk && old.sk === item.sk));
    expect(added.map((item) => [item.kind, item.eventName])).toEqual([['zalo', 'user_seen_message']]);
    expect(added[0]).toMatchObject({ msgCount: receipt.msgIds.length, raw: receipt.rawBody });
    // The ids live once, in the raw body: the item stays near the body's size, not twice it.
    expect(dynamoItemBytes(added[0]!)).toBeLessThan(Buffer.byteLength(receipt.rawBody) + 1024);
    for (const msgId of [receipt.msgIds[0]!, receipt.msgIds.at(-1)!]) {
      const read = await readApi<{ message: { events: Array<{ eventName: string; msgIds: string[] }> } }>(stack(), `/api/zalo/messages/${msgId}`);
      expect(read.body.message.events.map((event) => event.eventName)).toEqual(['oa_send_text', 'user_seen_message']);
      expect(read.body.message.events[1]!.msgIds).toHaveLength(receipt.msgIds.length);
    }
  });
});
