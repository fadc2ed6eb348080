import { StorageRequestBug, StorageUnavailableError } from '../errors';

/** Name of the SDK error a failed `ConditionExpression` raises; only adapters look at it. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Wraps a storage error: DynamoDB refusing the request itself (ValidationException: an item or key too
 * large, a malformed expression) is a bug that a retry cannot fix; anything else is an outage (5xx).
 */
export const storageFailure = (error: unknown): StorageUnavailableError | StorageRequestBug => {
  if (error instanceof StorageUnavailableError || error instanceof StorageRequestBug) return error;
  if (error instanceof Error && error.name === 'ValidationException') return new StorageRequestBug(error);
  return new StorageUnavailableError(error);
};

/**
 * Runs one storage call, its failure wrapped by `storageFailure`. With `refused`, a conditional write whose
 * condition failed is not a failure: the call answers what `refused` makes of it.
 */
export const storageCall = async <T, R = never>(work: () => Promise<T>, refused?: (error: unknown) => R): Promise<T | R> => {
  try {
    return await work();
  } catch (error) {
    if (refused !== undefined && isConditionFailure(error)) return refused(error);
    throw storageFailure(error);
  }
};
