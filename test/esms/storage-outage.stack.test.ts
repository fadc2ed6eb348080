/**
 * "A 2xx is only sent after the event is durably stored", and "never a fast non-2xx for a request that would
 * succeed later": this file runs its own DynamoDB Local on disk, kills it mid-run and brings it back on the
 * same files and port, while the handlers keep their client. While it is down, callbacks are kept in the
 * inbound buffer (SQS, emulated) and answered 200 `buffered`; once it is back, the drain stores them exactly
 * once, and a malformed callback buffered meanwhile lands in the rejected log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, type LocalDynamo } from '../../infra/local/dynamodb';
import { esmsFixture } from '../support/fixtures';
import { esmsUrl, getJson, readApi, useStack } from '../support/stack';

const dataDir = mkdtempSync(join(tmpdir(), 'esms-outage-'));
// No stream consumers: their pollers would only add noise while the engine is down.
const stack = useStack({ dataDir, aggregator: false });
const MALFORMED = esmsFixture('cskh-batch-failed').replace('SendStatus=5', 'SendStatus=3').replace(/SMSID=[^&]+/, 'SMSID=outage-malformed');
let restarted: LocalDynamo | undefined;

afterAll(async () => {
  // Registered after useStack, so it runs before the stack's own stop (hooks unwind in reverse).
  await restarted?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const smsIdOf = (raw: string): string => new URLSearchParams(raw).get('SMSID')!;
const send = (route: string, line: string) => getJson(esmsUrl(stack(), route, esmsFixture(line)));

// Acknowledged before the outage; refused during it; sent (again) after the restart.
const BEFORE: Array<[string, string]> = [['sms', 'cskh-status-7'], ['viber', 'viber'], ['zalo', 'zalo-consulting-double-encoded'], ['zns', 'zns-by-uid-plain-json'], ['sms', 'fixed-number-vietnamobile']];
const DURING: Array<[string, string]> = [['zns', 'zns-otp-request-id'], ['sms', 'reddi-failure'], ['journey', 'journey-149'], ['zns', 'zns-144-fully-encoded']];

describe('storage outage (DynamoDB Local on disk, stopped and restarted on the same port)', () => {
  it('before the outage, callbacks are acknowledged with 200', async () => {
    for (const [route, line] of BEFORE) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    }
  });

  it('while the engine is down, every valid callback is kept in the buffer and answered 200, a malformed one 400 naming its field', async () => {
    expect(stack().dynamo, 'the stack runs its own engine').toBeDefined();
    await stack().dynamo!.stop();
    for (const [route, line] of DURING) {
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, buffered: true } });
    }
    // The malformed callback's raw query is in the buffer, bound for the rejected log: still the precise 400.
    const malformed = await getJson(esmsUrl(stack(), 'sms', MALFORMED));
    expect(malformed).toMatchObject({ status: 400, body: { ok: false, error: { field: 'SendStatus' } } });
    // A retry of a callback stored before the outage cannot be told from a new one now: buffered too.
    expect(await send('sms', 'cskh-status-7')).toEqual({ status: 200, body: { ok: true, buffered: true } });
  }, 60_000);

  it('while the engine is down, the read API answers 503, not 404', async () => {
    const answer = await readApi(stack(), `/api/esms/messages/${smsIdOf(esmsFixture('viber'))}`);
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

  it('the drain stores every buffered callback once (the retry as a duplicate), and the malformed one in the rejected log', async () => {
    await stack().queues.idle();
    for (const [route, line] of DURING) {
      const answer = await readApi<{ message: { recipients: Array<{ history: Array<{ query: string; route: string }> }> } }>(
        stack(), `/api/esms/messages/${smsIdOf(esmsFixture(line))}`);
      expect(answer.status, `line ${line}`).toBe(200);
      expect(answer.body.message.recipients.flatMap((recipient) => recipient.history), `line ${line}`)
        .toEqual([expect.objectContaining({ query: esmsFixture(line), route })]);
      // Sent again now: the drain stored it, so it is a duplicate.
      expect(await send(route, line), `line ${line}`).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    }
    const line13 = await readApi<{ message: { recipients: Array<{ history: unknown[] }> } }>(stack(), `/api/esms/messages/${smsIdOf(esmsFixture('cskh-status-7'))}`);
    expect(line13.body.message.recipients.flatMap((recipient) => recipient.history)).toHaveLength(1);
    const rejected = await readApi<{ rejected: Array<{ raw: string; field: string }> }>(stack(), '/api/rejected');
    expect(rejected.body.rejected).toContainEqual(expect.objectContaining({ raw: MALFORMED, field: 'SendStatus' }));
  }, 60_000);
});
