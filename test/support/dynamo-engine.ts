import '../../infra/local/quiet';
/**
 * A DynamoDB Local of its own for each scale test file (the scale project's `setupFiles`): started before
 * the file's tests, stopped after its last hook. An engine slows down with every item written to it, dropped
 * tables included (measured: 2,000 puts took 6 s on a fresh engine and 62 s after 50,000 items had been
 * written and their table dropped), so a scale file on a shared engine paid for the files before it. A start
 * costs about 2 s and a few seconds of a core while the JVM warms up: worth it for a file that writes
 * thousands of items, not for the other tiers' short files, which share their worker's engine.
 */
import { afterAll } from 'vitest';
import { startDynamoLocal } from '../../infra/local/dynamodb';
import { TEST_DYNAMO_ENDPOINT } from './dynamo-endpoint';

const engine = await startDynamoLocal();
process.env[TEST_DYNAMO_ENDPOINT] = engine.endpoint;
// Registered before the file's own hooks, so it runs after them (vitest runs after-hooks last registered first).
afterAll(async () => {
  await engine.stop();
  delete process.env[TEST_DYNAMO_ENDPOINT];
});
