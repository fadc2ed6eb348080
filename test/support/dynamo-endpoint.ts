import { inject } from 'vitest';

/** This worker's DynamoDB Local (test/support/global-setup.ts starts one per worker). */
export const testDynamoEndpoint = (): string => {
  const endpoints = inject('dynamoEndpoints');
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  return endpoints[(Math.max(pool, 1) - 1) % endpoints.length]!;
};
