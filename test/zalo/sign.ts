import { createHash } from 'node:crypto';
import { ZALO_FIXTURE_SECRET } from '../support/fixtures';

/** The Zalo formula, written independently of lib/: `mac=` + sha256hex(app_id (or appId) + body + timestamp + key). */
export const zaloMac = (rawBody: string, secret = ZALO_FIXTURE_SECRET): string => {
  const { app_id, appId, timestamp } = JSON.parse(rawBody) as { app_id?: string; appId?: string; timestamp: string };
  return `mac=${createHash('sha256').update(`${app_id ?? appId}${rawBody}${timestamp}${secret}`, 'utf8').digest('hex')}`;
};

export const signedHeaders = (rawBody: string, secret?: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-zevent-signature': zaloMac(rawBody, secret),
});

/** The envelope's own timestamp, so tests can place `now` relative to it. */
export const bodyTime = (rawBody: string): number => Number((JSON.parse(rawBody) as { timestamp: string }).timestamp);

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};
