/**
 * The rotation window of secrets read from SSM (issue 22 finding 14): a value is re-read once it is 60 s
 * old, so a secret removed from SSM stops working within a minute; a value that cannot be re-read is used
 * for at most 5 minutes after it was read, then the function fails closed instead of trusting it forever;
 * after a failed read SSM is asked again after a short back-off, not on every request.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildSecretLoader, SECRETS_MAX_AGE_MS, SECRETS_REFRESH_MS } from '../../lib/config/secrets';
import { SecretsUnavailableError } from '../../lib/errors';

const PATH = '/vn-messaging-webhooks/test';

const setup = () => {
  let now = 1_000_000;
  let value = 'old-key';
  let failing = false;
  const fetch = vi.fn(async (names: readonly string[]) => {
    if (failing) throw new Error('ThrottlingException: Rate exceeded');
    return Object.fromEntries(names.map((name) => [name, value]));
  });
  const applied: string[] = [];
  const load = buildSecretLoader({ path: PATH, fetch, apply: (_setting, raw) => applied.push(raw), now: () => now, log: { warn: () => undefined } });
  return {
    load, fetch, applied,
    advance: (ms: number) => { now += ms; },
    rotate: (next: string) => { value = next; },
    fail: (on: boolean) => { failing = on; },
  };
};

describe('secrets rotation window', () => {
  it('the window is one minute to re-read and five to fail closed', () => {
    expect(SECRETS_REFRESH_MS).toBe(60_000);
    expect(SECRETS_MAX_AGE_MS).toBe(5 * 60_000);
  });

  it('a value rotated in SSM is in use at the first request after one minute', async () => {
    const secrets = setup();
    await secrets.load(['api-keys']);
    secrets.rotate('new-key');
    secrets.advance(SECRETS_REFRESH_MS - 1);
    await secrets.load(['api-keys']);
    expect(secrets.applied.at(-1)).toBe('old-key');
    secrets.advance(1);
    await secrets.load(['api-keys']);
    expect(secrets.applied.at(-1)).toBe('new-key');
  });

  it('while SSM fails, the values read earlier serve up to 5 minutes after they were read, then every request fails closed', async () => {
    const secrets = setup();
    await secrets.load(['api-keys']);
    secrets.fail(true);
    secrets.advance(SECRETS_REFRESH_MS);
    await expect(secrets.load(['api-keys'])).resolves.toBeUndefined();
    secrets.advance(SECRETS_MAX_AGE_MS - SECRETS_REFRESH_MS - 1);
    await expect(secrets.load(['api-keys'])).resolves.toBeUndefined();
    secrets.advance(1);
    await expect(secrets.load(['api-keys'])).rejects.toBeInstanceOf(SecretsUnavailableError);
    secrets.advance(60_000);
    await expect(secrets.load(['api-keys'])).rejects.toBeInstanceOf(SecretsUnavailableError);
    secrets.fail(false);
    secrets.advance(60_000);
    await expect(secrets.load(['api-keys'])).resolves.toBeUndefined();
  });

  it('after a failed read SSM is asked again after a few seconds, not on every request', async () => {
    const secrets = setup();
    secrets.fail(true);
    for (let i = 0; i < 50; i += 1) await expect(secrets.load(['api-keys'])).rejects.toBeInstanceOf(SecretsUnavailableError);
    expect(secrets.fetch).toHaveBeenCalledTimes(1);
    secrets.advance(5_000);
    secrets.fail(false);
    await expect(secrets.load(['api-keys'])).resolves.toBeUndefined();
    expect(secrets.fetch).toHaveBeenCalledTimes(2);
  });
});
