import { inject } from 'vitest';

/** The setting test/support/dynamo-engine.ts puts a file's own engine's endpoint in. */
export const TEST_DYNAMO_ENDPOINT = 'TEST_DYNAMO_ENDPOINT';

/**
 * This test file's DynamoDB Local: its own in the scale tier (test/support/dynamo-engine.ts), else its
 * worker's (test/support/global-setup.ts starts one per worker).
 */
export const testDynamoEndpoint = (): string => {
  const own = process.env[TEST_DYNAMO_ENDPOINT];
  if (own) return own;
  const endpoints = inject('dynamoEndpoints');
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  return endpoints[(Math.max(pool, 1) - 1) % endpoints.length]!;
};
