/**
 * Signing Zalo webhooks for tests: fixtures re-timed to now (their 2026-01-01 timestamps are outside the
 * freshness window) and re-signed on their own bytes with the fixture app's OA secret key. In memory only.
 */
import { createHash } from 'node:crypto';
import { ZALO_FIXTURE_SECRET, type ZaloFixture } from '../support/fixtures';

const TIMESTAMP = /"timestamp":"\d+"/;

/** The raw body with only its `timestamp` value replaced, byte for byte otherwise. */
export const retimed = (rawBody: string, at: number): string => {
  if (!TIMESTAMP.test(rawBody)) throw new Error('body has no "timestamp"');
  return rawBody.replace(TIMESTAMP, `"timestamp":"${at}"`);
};

/** The fixture's headers minus its signature (X-ZEvent-Server, num_retry, content type stay). */
export const unsignedHeaders = (fixture: Pick<ZaloFixture, 'headers'>): Record<string, string> =>
  Object.fromEntries(Object.entries(fixture.headers).filter(([name]) => name.toLowerCase() !== 'x-zevent-signature'));

export interface SignedRequest {
  rawBody: string;
  headers: Record<string, string>;
}

/** A body signed on its own bytes, with the fixture's other headers. */
export const signed = (rawBody: string, base: Record<string, string> = { 'Content-Type': 'application/json' }, secret?: string): SignedRequest => ({
  rawBody,
  headers: { ...base, 'X-ZEvent-Signature': zaloMac(rawBody, secret) },
});

/** The fixture moved to `at` and re-signed. */
export const fresh = (fixture: ZaloFixture, at: number): SignedRequest => signed(retimed(fixture.rawBody, at), unsignedHeaders(fixture));

/** A body built from an envelope (for derived variants with other ids), signed on its own bytes. */
export const signedEnvelope = (envelope: Record<string, unknown>, base?: Record<string, string>): SignedRequest =>
  signed(JSON.stringify(envelope), base);

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
