/**
 * The DynamoDB Local runner the stack and the tests rely on to stop engines. (Stopping a running engine
 * and stopping it twice are exercised by test/esms/storage-outage.test.ts.)
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startDynamoLocal } from '../../infra/local/dynamodb';

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> =>
  Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref())]);

describe('startDynamoLocal().stop()', () => {
  it('resolves for an engine that already died from a signal (crash, OOM kill), instead of waiting forever', async () => {
    const engine = await startDynamoLocal();
    const exited = once(engine.process, 'exit');
    engine.process.kill('SIGKILL');
    await exited;
    expect([engine.process.exitCode, engine.process.signalCode]).toEqual([null, 'SIGKILL']);
    expect(await within(engine.stop().then(() => 'stopped'), 5000)).toBe('stopped');
  });
});
