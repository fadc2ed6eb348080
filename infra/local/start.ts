/** `npm start`: the local stack on PORT with data under DATA_DIR, printing every URL with its token. */
import './quiet';
import { buildConsole } from '../../console/build';
import { LOCAL_DEFAULTS, applyLocalDefaults } from './defaults';
import { JAVA_MISSING } from './dynamodb';
import { httpRoutes } from './routes';
import { startStack } from './stack';

const main = async () => {
  applyLocalDefaults();
  const started = Date.now();
  await buildConsole();
  const stack = await startStack({
    port: Number(process.env.PORT ?? LOCAL_DEFAULTS.PORT),
    dataDir: process.env.DATA_DIR,
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? LOCAL_DEFAULTS.DYNAMODB_PORT),
    fakeEsmsPort: Number(process.env.ESMS_FAKE_PORT ?? LOCAL_DEFAULTS.ESMS_FAKE_PORT),
    fakeZaloPort: Number(process.env.ZALO_FAKE_PORT ?? LOCAL_DEFAULTS.ZALO_FAKE_PORT),
  });
  const token = (process.env.ESMS_CALLBACK_TOKENS ?? '').split(',')[0];
  const key = (process.env.API_KEYS ?? '').split(',')[0];
  const adminKey = (process.env.ADMIN_API_KEYS ?? '').split(',')[0];
  const lines = httpRoutes().map((route) => {
    const path = route.path.replace('{token}', token ?? '{token}');
    const auth = route.path.startsWith('/api/admin/') ? `   (Authorization: Bearer ${adminKey})` : route.path.startsWith('/api/') ? `   (Authorization: Bearer ${key})` : '';
    return `  ${route.method.padEnd(5)} ${stack.url}${path}${auth}`;
  });
  console.log(`local stack ready in ${Date.now() - started} ms (DynamoDB Local at ${stack.endpoint}, data in ${process.env.DATA_DIR})`);
  console.log(lines.join('\n'));
  console.log(`web console: ${stack.url}/console   (sign in with ${key} or the admin key ${adminKey})`);
  console.log(`Zalo dev app (ZALO_APPS): ${process.env.ZALO_APPS}`);
  if (stack.fakeEsms) console.log(`fake eSMS pull APIs (reconciliation): ${stack.fakeEsms.url}  (ApiKey ${process.env.ESMS_API_KEY})`);
  if (stack.fakeZalo) console.log(`fake Zalo (OAuth, getoa, getlist): ${stack.fakeZalo.url}`);
  // The callback is on localhost: open the connect link there too, or the flow's cookie is not sent back.
  console.log(`connect a Zalo OA: ${process.env.ZALO_OA_CALLBACK_URL?.replace(/\/zalo\/oa-callback$/, '')}/zalo/oa-connect  (send a fixture: npm run zalo:send -- follow)`);
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message === JAVA_MISSING ? message : `local stack failed to start: ${error instanceof Error ? error.stack : message}`);
  process.exit(1);
});
