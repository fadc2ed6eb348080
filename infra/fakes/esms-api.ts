/**
 * The local fake eSMS pull APIs. Imported by tests and the local stack (`startFakeEsms`); run on its
 * own with `tsx infra/fakes/esms-api.ts` (PORT, ESMS_API_KEY, ESMS_SECRET_KEY from the environment),
 * it prints its URL on the first line of output.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeEsms } from './esms-api/server';

export { startFakeEsms } from './esms-api/server';
export type { FakeEsms, FakeEsmsOptions, FakeEsmsSwitches } from './esms-api/server';
export type { FakeMessage, FakeMessageInput, Truth } from './esms-api/truth';

export const FAKE_ESMS_DEFAULT_KEYS = { apiKey: 'local-esms-api-key', secretKey: 'local-esms-secret-key' };

const main = async () => {
  const fake = await startFakeEsms({
    port: Number(process.env.PORT ?? 0),
    apiKey: process.env.ESMS_API_KEY || FAKE_ESMS_DEFAULT_KEYS.apiKey,
    secretKey: process.env.ESMS_SECRET_KEY || FAKE_ESMS_DEFAULT_KEYS.secretKey,
  });
  console.log(fake.url);
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`fake eSMS failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
