import '../../infra/local/quiet';
/**
 * DynamoDB Local (in memory) for the whole test run, one engine per vitest worker: the engine is mostly
 * single-threaded, so one of them shared by both workers was the suite's bottleneck. Each test file creates
 * its own tables under a unique prefix, so files never see each other's data.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamodb';
import { buildConsole } from '../../console/build';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoints: string[];
  }
}

export default async function setup(project: TestProject) {
  // The console's function serves the built assets (.console/, not committed): build them once, so no test
  // depends on another having built them first.
  await buildConsole();
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const engines = await Promise.all(Array.from({ length: Math.min(workers, 2) }, () => startDynamoLocal()));
  project.provide('dynamoEndpoints', engines.map((engine) => engine.endpoint));
  return async () => { await Promise.all(engines.map((engine) => engine.stop())); };
}
