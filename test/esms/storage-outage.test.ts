/**
 * "A 2xx is only sent after the event is durably stored": this file runs its own DynamoDB Local on disk,
 * kills it mid-run and brings it back on the same files and port, while the handlers keep their client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, type LocalDynamo } from '../../infra/local/dynamodb';
import { esmsLine } from '../support/fixtures';
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
const send = (route: string, line: number) => getJson(esmsUrl(stack(), route, esmsLine(line)));

// Acknowledged before the outage; refused during it; sent (again) after the restart.
const BEFORE: Array<[string, number]> = [['sms', 1], ['sms', 2], ['viber', 4], ['zalo', 5], ['zns', 9], ['sms', 13]];
const DURING: Array<[string, number]> = [['zns', 12], ['sms', 14], ['journey', 27], ['zns', 29]];

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
    const malformed = await getJson(esmsUrl(stack(), 'sms', esmsLine(1).replace('SendStatus=5', 'SendStatus=3')));
    expect(malformed.status).toBe(503);
    // A retry of a callback stored before the outage cannot be confirmed as a duplicate either.
    expect((await send('sms', 18)).status).toBe(503);
  });

  it('while the engine is down, the read API answers 503, not 404', async () => {
    const answer = await readApi(stack(), `/api/esms/messages/${smsIdOf(esmsLine(1))}`);
    expect(answer.status).toBe(503);
  });

  it('after a restart on the same files and port, every callback acknowledged before the outage is readable', async () => {
    restarted = await startDynamoLocal({ dataDir, port: stack().dynamo!.port });
    for (const [route, line] of BEFORE) {
      const answer = await readApi<{ message: { recipients: Array<{ history: Array<{ query: string; route: string }> }> } }>(
        stack(), `/api/esms/messages/${smsIdOf(esmsLine(line))}`);
      expect(answer.status, `line ${line}`).toBe(200);
      const history = answer.body.message.recipients.flatMap((recipient) => recipient.history);
      expect(history, `line ${line}`).toContainEqual(expect.objectContaining({ query: esmsLine(line), route }));
    }
  });

  it('after the restart, the same handler instances store again: refused callbacks are new, retries of stored ones are duplicates', async () => {
    for (const [route, line] of DURING) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    }
    expect(await send('sms', 18)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    const line13 = await readApi<{ message: { recipients: Array<{ status: number; history: unknown[] }> } }>(
      stack(), `/api/esms/messages/${smsIdOf(esmsLine(13))}`);
    expect(line13.body.message.recipients).toEqual([expect.objectContaining({ status: 5, history: [expect.anything(), expect.anything()] })]);
  });
});
