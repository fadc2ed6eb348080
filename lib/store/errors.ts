import { StorageUnavailableError } from '../http/errors';

/** Name of the SDK error a failed `ConditionExpression` raises; only adapters look at it. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Wraps any other storage error so the pipeline answers 5xx and the provider retries. */
export const storageFailure = (error: unknown): StorageUnavailableError =>
  error instanceof StorageUnavailableError ? error : new StorageUnavailableError(error);
