/**
 * "A 2xx is only sent after the event is durably stored": this file runs its own DynamoDB Local on disk,
 * kills it mid-run and brings it back on the same files and port, while the handlers keep their client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, type LocalDynamo } from '../../infra/local/dynamodb';
import { esmsFixture } from '../support/fixtures';
import { esmsUrl, getJson, readApi, useStack } from '../support/stack';

const dataDir = mkdtempSync(join(tmpdir(), 'esms-outage-'));
// No aggregator: its stream poller would only add noise while the engine is down.
const stack = useStack({ dataDir, aggregator: false });
let restarted: LocalDynamo | undefined;

afterAll(async () => {
  // Registered after useStack, so it runs before the stack's own stop (hooks unwind in reverse).
  await restarted?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const smsIdOf = (raw: string): string => new URLSearchParams(raw).get('SMSID')!;
const send = (route: string, line: string) => getJson(esmsUrl(stack(), route, esmsFixture(line)));

// Acknowledged before the outage; refused during it; sent (again) after the restart.
const BEFORE: Array<[string, string]> = [['sms', 'cskh-batch-failed'], ['sms', 'promo-batch'], ['viber', 'viber'], ['zalo', 'zalo-consulting-double-encoded'], ['zns', 'zns-by-uid-plain-json'], ['sms', 'cskh-status-7']];
const DURING: Array<[string, string]> = [['zns', 'zns-otp-request-id'], ['sms', 'cskh-status-5'], ['journey', 'journey-149'], ['zns', 'zns-144-fully-encoded']];

describe('storage outage (DynamoDB Local on disk, stopped and restarted on the same port)', () => {
  it('before the outage, callbacks are acknowledged with 200', async () => {
    for (const [route, line] of BEFORE) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    }
  });

  it('while the engine is down, every callback (valid or malformed) gets 503 and never a 2xx', async () => {
    expect(stack().dynamo, 'the stack runs its own engine').toBeDefined();
    await stack().dynamo!.stop();
    for (const [route, line] of DURING) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 503, body: { ok: false, error: { message: expect.any(String) } } });
    }
    // A malformed callback cannot be kept in the rejected log now: 503 (eSMS retries) instead of a 400 that loses it.
    const malformed = await getJson(esmsUrl(stack(), 'sms', esmsFixture('cskh-batch-failed').replace('SendStatus=5', 'SendStatus=3')));
    expect(malformed.status).toBe(503);
    // A retry of a callback stored before the outage cannot be confirmed as a duplicate either.
    expect((await send('sms', 'cskh-batch-failed-retry')).status).toBe(503);
  });

  it('while the engine is down, the read API answers 503, not 404', async () => {
    const answer = await readApi(stack(), `/api/esms/messages/${smsIdOf(esmsFixture('cskh-batch-failed'))}`);
    expect(answer.status).toBe(503);
  });

  it('after a restart on the same files and port, every callback acknowledged before the outage is readable', async () => {
    restarted = await startDynamoLocal({ dataDir, port: stack().dynamo!.port });
    for (const [route, line] of BEFORE) {
      const answer = await readApi<{ message: { recipients: Array<{ history: Array<{ query: string; route: string }> }> } }>(
        stack(), `/api/esms/messages/${smsIdOf(esmsFixture(line))}`);
      expect(answer.status, `line ${line}`).toBe(200);
      const history = answer.body.message.recipients.flatMap((recipient) => recipient.history);
      expect(history, `line ${line}`).toContainEqual(expect.objectContaining({ query: esmsFixture(line), route }));
    }
  });

  it('after the restart, the same handler instances store again: refused callbacks are new, retries of stored ones are duplicates', async () => {
    for (const [route, line] of DURING) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    }
    expect(await send('sms', 'cskh-batch-failed-retry')).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    const line13 = await readApi<{ message: { recipients: Array<{ status: number; history: unknown[] }> } }>(
      stack(), `/api/esms/messages/${smsIdOf(esmsFixture('cskh-status-7'))}`);
    expect(line13.body.message.recipients).toEqual([expect.objectContaining({ status: 5, history: [expect.anything(), expect.anything()] })]);
  });
});
