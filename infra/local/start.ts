/**
 * `npm start`: the local stack on PORT with data under DATA_DIR, printing every URL with its token. A secret
 * is printed only while it is the public local default (the value in infra/local/defaults.ts, there for
 * anyone to read); one set in the environment is named, never printed (issue 22 finding 11).
 */
import './quiet';
import { buildConsole } from '../../console/build';
import { FAKE_ESMS_DEFAULT_KEYS } from '../fakes/esms-api';
import { LOCAL_DEFAULTS, applyLocalDefaults } from './defaults';
import { JAVA_MISSING } from './dynamodb';
import { httpRoutes } from './routes';
import { startStack } from './stack';

type SecretSetting = 'ESMS_CALLBACK_TOKENS' | 'API_KEYS' | 'ADMIN_API_KEYS';

/** A secret setting's first value as printable: itself while it is the public default, else only its name. */
const shown = (name: SecretSetting, described: string, placeholder = `<${described}>`) => {
  const first = (process.env[name] ?? '').split(',')[0]?.trim() ?? '';
  const isDefault = first === LOCAL_DEFAULTS[name];
  return { isDefault, text: isDefault ? first : `<${described}>`, inUrl: isDefault ? first : placeholder };
};

/** The apps' ids, with their keys only when the setting is the public default (the fixtures' app). */
const zaloApps = (): string => {
  const raw = process.env.ZALO_APPS ?? '';
  if (raw === LOCAL_DEFAULTS.ZALO_APPS) return `${raw} (the fixtures' app and key)`;
  try {
    return `${Object.keys(JSON.parse(raw) as Record<string, string>).join(', ') || 'none'} (OA Secret Keys not printed)`;
  } catch {
    return 'not valid JSON';
  }
};

const main = async () => {
  applyLocalDefaults();
  const started = Date.now();
  await buildConsole();
  // DYNAMODB_ENDPOINT: a DynamoDB (and its streams) to use instead of starting DynamoDB Local.
  const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const stack = await startStack({
    ...(endpoint !== undefined && { endpoint }),
    port: Number(process.env.PORT ?? LOCAL_DEFAULTS.PORT),
    dataDir: process.env.DATA_DIR,
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? LOCAL_DEFAULTS.DYNAMODB_PORT),
    fakeEsmsPort: Number(process.env.ESMS_FAKE_PORT ?? LOCAL_DEFAULTS.ESMS_FAKE_PORT),
    fakeZaloPort: Number(process.env.ZALO_FAKE_PORT ?? LOCAL_DEFAULTS.ZALO_FAKE_PORT),
    sqsPort: Number(process.env.SQS_FAKE_PORT ?? LOCAL_DEFAULTS.SQS_FAKE_PORT),
  });
  const token = shown('ESMS_CALLBACK_TOKENS', 'the first of ESMS_CALLBACK_TOKENS', '{token}');
  const key = shown('API_KEYS', 'a key of API_KEYS');
  const adminKey = shown('ADMIN_API_KEYS', 'a key of ADMIN_API_KEYS');
  const lines = httpRoutes().map((route) => {
    const path = route.path.replace('{token}', token.inUrl);
    const auth = route.path.startsWith('/api/admin/') ? `   (Authorization: Bearer ${adminKey.text})` : route.path.startsWith('/api/') ? `   (Authorization: Bearer ${key.text})` : '';
    return `  ${route.method.padEnd(5)} ${stack.url}${path}${auth}`;
  });
  console.log(`local stack ready in ${Date.now() - started} ms (${endpoint === undefined ? 'DynamoDB Local' : 'DynamoDB'} at ${stack.endpoint}${endpoint === undefined ? `, data in ${process.env.DATA_DIR}` : ''})`);
  if (stack.throttle) console.log(`DynamoDB's per-key limits enforced at 1/${process.env.DYNAMODB_THROTTLE_SCALE} (DYNAMODB_THROTTLE_SCALE): ${1000 / Number(process.env.DYNAMODB_THROTTLE_SCALE)} WCU/s and ${3000 / Number(process.env.DYNAMODB_THROTTLE_SCALE)} RCU/s per key`);
  console.log(`SQS (the inbound buffer): ${stack.queues.fake.url}`);
  if (!token.isDefault) console.log(`  ({token}: ${token.text}, not printed: it is not the local default)`);
  console.log(lines.join('\n'));
  console.log(`web console: ${stack.url}/console   (sign in with ${key.text} or the admin key ${adminKey.text})`);
  console.log(`Zalo apps (ZALO_APPS): ${zaloApps()}`);
  const esmsKey = process.env.ESMS_API_KEY === FAKE_ESMS_DEFAULT_KEYS.apiKey ? process.env.ESMS_API_KEY : 'from ESMS_API_KEY';
  if (stack.fakeEsms) console.log(`fake eSMS pull APIs (reconciliation): ${stack.fakeEsms.url}  (ApiKey ${esmsKey})`);
  if (stack.fakeZalo) console.log(`fake Zalo (OAuth, getoa, getlist): ${stack.fakeZalo.url}`);
  // The callback is on localhost: open the connect link there too, or the flow's cookie is not sent back.
  console.log(`connect a Zalo OA: curl -X POST -H 'Authorization: Bearer ${key.text}' -d '{"appId":"<app id>"}' ${stack.url}/api/zalo/oa-connect-links, then open the url it answers  (send a fixture: npm run zalo:send -- follow)`);
  console.log(`event destinations: curl -X POST -H 'Authorization: Bearer ${key.text}' -d '{"url":"http://127.0.0.1:4010/"}' ${stack.url}/api/destinations, then SINK_SECRET=<the secret it answers> npm run sink`);
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message === JAVA_MISSING ? message : `local stack failed to start: ${error instanceof Error ? error.stack : message}`);
  process.exit(1);
});
