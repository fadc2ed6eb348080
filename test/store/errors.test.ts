/** The one storage-error wrapper (lib/store/errors.ts): what a DynamoDB error becomes, and a refused condition. */
import { describe, expect, it } from 'vitest';
import { StorageRequestBug, StorageUnavailableError } from '../../lib/errors';
import { storageCall } from '../../lib/store/errors';

const sdkError = (name: string) => Object.assign(new Error(`${name}: …`), { name });
const failing = (error: Error) => async (): Promise<string> => {
  throw error;
};

describe('storageCall', () => {
  it('answers what the call answers', async () => {
    await expect(storageCall(async () => 'item')).resolves.toBe('item');
  });

  it('turns an outage or a throttle into StorageUnavailableError (503) keeping the cause', async () => {
    const throttled = sdkError('ProvisionedThroughputExceededException');
    const error = await storageCall(failing(throttled)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).cause).toBe(throttled);
  });

  it('turns a ValidationException into StorageRequestBug (500: a retry would fail the same way)', async () => {
    await expect(storageCall(failing(sdkError('ValidationException')))).rejects.toBeInstanceOf(StorageRequestBug);
  });

  it('a refused condition is the `refused` answer when one is given, and an outage otherwise', async () => {
    const refused = sdkError('ConditionalCheckFailedException');
    await expect(storageCall(failing(refused), () => false)).resolves.toBe(false);
    await expect(storageCall(failing(refused))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(storageCall(failing(sdkError('TransactionCanceledException')), () => false)).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
