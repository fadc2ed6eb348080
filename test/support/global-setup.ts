import '../../infra/local/quiet';
/**
 * One DynamoDB Local (in memory) for the whole test run; each test file creates its own tables under a
 * unique prefix, so files run in parallel without seeing each other's data.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
