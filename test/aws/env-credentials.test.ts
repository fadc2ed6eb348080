import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../lib/aws/env-credentials';

afterEach(() => vi.unstubAllEnvs());

const stubCredentials = (accessKeyId: string, secretAccessKey: string, sessionToken?: string) => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', sessionToken ?? '');
};

describe('the environment-only credential provider of the Lambda bundles', () => {
  it('answers the role credentials Lambda puts in the environment, with the session token when there is one', async () => {
    stubCredentials('AKIAEXAMPLE', 'secret-1', 'token-1');
    expect(await defaultProvider()()).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-1', sessionToken: 'token-1' });
    stubCredentials('AKIAEXAMPLE', 'secret-1');
    expect(await defaultProvider()()).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-1' });
  });

  it('refuses when the environment holds no credentials, and reads again on the next call', async () => {
    stubCredentials('', '');
    const provider = defaultProvider();
    await expect(provider()).rejects.toThrow('AWS credentials missing from the environment');
    stubCredentials('AKIALATER', 'secret-2');
    expect(await provider()).toEqual({ accessKeyId: 'AKIALATER', secretAccessKey: 'secret-2' });
  });

  it('reads the environment once per SDK client, as the SDK client resolves its credentials on every request', async () => {
    stubCredentials('AKIAFIRST', 'secret-1');
    const client = new DynamoDBClient({ region: 'ap-southeast-1', credentialDefaultProvider: defaultProvider });
    const resolve = client.config.credentials as () => Promise<{ accessKeyId: string }>;
    expect((await resolve()).accessKeyId).toBe('AKIAFIRST');
    stubCredentials('AKIASECOND', 'secret-2');
    expect((await resolve()).accessKeyId).toBe('AKIAFIRST');
    expect((await defaultProvider()()).accessKeyId).toBe('AKIASECOND');
    client.destroy();
  });
});
