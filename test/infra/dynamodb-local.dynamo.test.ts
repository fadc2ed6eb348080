/**
 * The DynamoDB Local runner the stack and the tests rely on: it listens on the loopback interface only (it
 * has no authentication: on all interfaces anyone on the network could read and write every table), and
 * stops engines. (Stopping a running engine
 * and stopping it twice are exercised by test/esms/storage-outage.test.ts.)
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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

/** The local addresses the kernel lists as listening on `port` (Linux /proc/net/tcp and tcp6, hex). */
const listeningAddresses = (port: number): string[] => ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
  readFileSync(file, 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((fields) => fields[3] === '0A')
    .map((fields) => fields[1]!.split(':')).filter(([, hexPort]) => Number.parseInt(hexPort!, 16) === port).map(([address]) => address!));

describe('startDynamoLocal()', () => {
  it('listens on 127.0.0.1 only, not on every interface', async () => {
    const engine = await startDynamoLocal();
    try {
      const addresses = listeningAddresses(engine.port);
      expect(addresses.length).toBeGreaterThan(0);
      // 127.0.0.1 as IPv4 (0100007F) or as an IPv4-mapped IPv6 address (::ffff:127.0.0.1); never 0.0.0.0 or ::.
      expect(addresses.every((address) => address === '0100007F' || address === '0000000000000000FFFF00000100007F')).toBe(true);
    } finally {
      await engine.stop();
    }
  });
});
