import { describe, expect, it } from 'vitest';
import { vietnamIso } from '../../lib/time';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildRejectedStore } from '../../lib/store/rejected';
import { localClient } from '../../infra/local/dynamodb';
import { esmsFixture, zaloFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, readApi, useStack } from '../support/stack';

const stack = useStack({ aggregator: false });

const replay = (body: unknown) =>
  fetch(`${stack().url}/api/replay`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } })
    .then(async (r) => ({ status: r.status, body: await r.json() as { summary: Record<string, number>; results: Array<{ id: string; outcome: string; field?: string }> } }));

describe('POST /api/replay', () => {
  it('stores an entry that today\'s parser accepts, keeping its original receive time, and records the outcome', async () => {
    // As if yesterday's parser had refused line 12 (ZNS OTP with RequestId) and kept it raw.
    const receivedAt = Date.parse('2026-01-01T01:00:00Z');
    const rejected = buildRejectedStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages, 30);
    await rejected.add({ source: 'esms', route: 'zns', status: 400, field: 'TypeId', reason: 'unknown TypeId 24 (old parser)', raw: esmsFixture('zns-otp-request-id'), receivedAt });
    const [entry] = (await rejected.listDay('default', '2026-01-01', 100)).items;
    const first = await replay({ ids: [entry!.sk] });
    expect(first.body.results).toEqual([{ id: entry!.sk, source: 'esms', outcome: 'stored' }]);
    const message = await readApi<{ message: { recipients: Array<{ firstSeen: string; status: number }> } }>(stack(), '/api/esms/messages/9b1f0c2e6a7d4e3f8c5b2a1d0e9f8a7b312');
    expect(message.body.message.recipients[0]).toMatchObject({ status: 5, firstSeen: vietnamIso(receivedAt) });
    const again = await replay({ ids: [entry!.sk] });
    expect(again.body.results[0]!.outcome).toBe('skipped');
    const forced = await replay({ ids: [entry!.sk], force: true });
    expect(forced.body.results[0]!.outcome).toBe('duplicate');
  });

  it('leaves a still-malformed request in the log with outcome rejected, naming the field', async () => {
    const bad = await getJson(esmsUrl(stack(), 'sms', 'SMSID=r1&SendStatus=5&TypeId=99&SendSuccess=1&SendFailed=0&TotalSent=1&TotalReceiver=1&TotalPrice=1'));
    expect(bad.status).toBe(400);
    const listed = await readApi<{ day: string; rejected: Array<{ id: string; raw: string; replayOutcome?: string }> }>(stack(), '/api/rejected');
    const entry = listed.body.rejected.find((item) => item.raw.startsWith('SMSID=r1&'))!;
    const result = await replay({ day: listed.body.day });
    expect(result.body.results.find((r) => r.id === entry.id)).toMatchObject({ outcome: 'rejected', field: 'TypeId' });
    const after = await readApi<{ rejected: Array<{ id: string; replayOutcome?: string }> }>(stack(), '/api/rejected');
    expect(after.body.rejected.find((item) => item.id === entry.id)?.replayOutcome).toBe('rejected');
  });

  it('replays a kept Zalo body (signed when it arrived) into the event store, without re-checking its age', async () => {
    const fixture = zaloFixture('user_send_image');
    const rejected = buildRejectedStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages, 30);
    const receivedAt = Date.parse('2026-01-01T00:00:05Z');
    await rejected.add({ source: 'zalo', route: 'webhook', status: 400, field: 'message.attachments', reason: 'old parser', raw: fixture.rawBody, headers: {}, receivedAt });
    const [entry] = (await rejected.listDay('default', '2026-01-01', 100)).items.filter((item) => item.source === 'zalo');
    const result = await replay({ ids: [entry!.sk] });
    expect(result.body.results).toEqual([{ id: entry!.sk, source: 'zalo', outcome: 'stored' }]);
    const msgId = (JSON.parse(fixture.rawBody) as { message: { msg_id: string } }).message.msg_id;
    const events = await readApi<{ events: Array<{ eventName: string }> }>(stack(), `/api/zalo/messages/${msgId}`);
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).toContain('user_send_image');
  });

  it('refuses a body that is neither a day nor a list of ids, and requests without the bearer key', async () => {
    expect((await replay({ everything: true })).status).toBe(400);
    const anonymous = await fetch(`${stack().url}/api/replay`, { method: 'POST', body: '{"day":"2026-01-01"}' });
    expect(anonymous.status).toBe(401);
  });
});
