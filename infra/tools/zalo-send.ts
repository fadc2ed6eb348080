/**
 * `npm run zalo:send -- <fixture> [--app <app_id>] [--url <base URL>]`: sends a Zalo webhook fixture
 * (test/fixtures/zalo/<fixture>.json, or a path to such a file) to the local stack as Zalo would: its
 * `timestamp` moved to now (the fixtures' own are months old, outside the freshness window), its `app_id`
 * replaced when `--app` says so, and signed with that app's OA Secret Key from ZALO_APPS (the local
 * default has the fixtures' app). Prints the answer's status and body; exits 1 unless it is a 2xx.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyLocalDefaults, LOCAL_DEFAULTS } from '../local/defaults';
import { PROJECT_ROOT } from '../local/routes';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'zalo');

const fixturePath = (name: string): string => (name.endsWith('.json') || name.includes('/') ? resolve(name) : join(FIXTURES, `${name}.json`));

/** The raw body with `timestamp` (string or number, kept as it was) and optionally `app_id` replaced, byte for byte otherwise. */
export const prepareBody = (rawBody: string, at: number, appId?: string): { rawBody: string; appId: string; timestamp: string } => {
  const stamp = /("timestamp"\s*:\s*)("\d+"|\d+)/;
  if (!stamp.test(rawBody)) throw new Error('the fixture has no "timestamp"');
  let body = rawBody.replace(stamp, (_all, key: string, value: string) => `${key}${value.startsWith('"') ? `"${at}"` : String(at)}`);
  const app = /("(?:app_id|appId)"\s*:\s*)("[^"]*"|\d+)/;
  const found = app.exec(body);
  if (!found) throw new Error('the fixture has no "app_id"');
  if (appId !== undefined) body = body.replace(app, (_all, key: string) => `${key}"${appId}"`);
  return { rawBody: body, appId: appId ?? found[2]!.replace(/"/g, ''), timestamp: String(at) };
};

/** Zalo's `X-ZEvent-Signature`: sha256 hex of app id + raw body + timestamp + OA secret key (docs/protocols.md §5.2). */
export const zaloSignature = (appId: string, rawBody: string, timestamp: string, secret: string): string =>
  `mac=${createHash('sha256').update(`${appId}${rawBody}${timestamp}${secret}`).digest('hex')}`;

export interface SendOptions {
  fixture: string;
  app?: string | undefined;
  url: string;
  apps: Record<string, string>;
  now?: number;
}

export const sendFixture = async (options: SendOptions): Promise<{ status: number; body: string }> => {
  const fixture = JSON.parse(readFileSync(fixturePath(options.fixture), 'utf8')) as { rawBody: string; headers: Record<string, string> };
  const prepared = prepareBody(fixture.rawBody, options.now ?? Date.now(), options.app);
  const secret = options.apps[prepared.appId];
  if (secret === undefined) throw new Error(`app ${prepared.appId} has no OA secret key in ZALO_APPS (pass --app <id> of a configured app)`);
  const headers = Object.fromEntries(Object.entries(fixture.headers).filter(([name]) => name.toLowerCase() !== 'x-zevent-signature'));
  const response = await fetch(`${options.url.replace(/\/$/, '')}/zalo/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, 'X-ZEvent-Signature': zaloSignature(prepared.appId, prepared.rawBody, prepared.timestamp, secret) },
    body: prepared.rawBody,
  });
  return { status: response.status, body: await response.text() };
};

const main = async () => {
  applyLocalDefaults();
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { app: { type: 'string' }, url: { type: 'string' } } });
  const [fixture] = positionals;
  if (fixture === undefined) throw new Error('usage: npm run zalo:send -- <fixture, e.g. follow> [--app <app_id>] [--url http://127.0.0.1:3000]');
  const apps = JSON.parse(process.env.ZALO_APPS || '{}') as Record<string, string>;
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.PORT}`;
  const answer = await sendFixture({ fixture, app: values.app, url, apps });
  console.log(`${answer.status} ${answer.body}`);
  if (answer.status < 200 || answer.status > 299) process.exitCode = 1;
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
