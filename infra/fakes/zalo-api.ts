/**
 * The local fake Zalo (OAuth v4 OA permission, getoa, getlist). Imported by tests and the local stack
 * (`startFakeZalo`); run on its own with `tsx infra/fakes/zalo-api.ts` (PORT, ZALO_APP_SECRETS from the
 * environment), it prints its URL on the first line of output.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeZalo } from './zalo-api/server';

export { startFakeZalo } from './zalo-api/server';
export type { FakeZalo, FakeZaloOptions, FakeZaloSwitches } from './zalo-api/server';

/** The OA the local consent page grants by default (the fixtures' OA), with a few followers to backfill. */
export const FAKE_ZALO_DEFAULT_OA = '1397492183140006179';
export const FAKE_ZALO_DEFAULT_FOLLOWERS = Array.from({ length: 120 }, (_, i) => String(5308693166941955000n + BigInt(i)));

const appsFromEnv = (): Record<string, string> => {
  const raw = process.env.ZALO_APP_SECRETS;
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
};

const main = async () => {
  const fake = await startFakeZalo({ port: Number(process.env.PORT ?? 0), apps: appsFromEnv(), defaultOaId: FAKE_ZALO_DEFAULT_OA });
  fake.setFollowers(FAKE_ZALO_DEFAULT_OA, FAKE_ZALO_DEFAULT_FOLLOWERS);
  console.log(fake.url);
  const shutdown = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`fake Zalo failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
