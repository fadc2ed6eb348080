/**
 * Sending Zalo webhooks to the local stack: fixtures re-timed to now (their 2026-01-01 timestamps are
 * outside the freshness window) and re-signed on their own bytes with the fixture app's OA secret key.
 */
import type { LocalStack } from '../../infra/local/stack';
import type { ZaloFixture } from '../support/fixtures';
import { postJson, type Answer } from '../support/stack';
import { zaloMac } from './sign';

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

export const postZalo = (stack: LocalStack, request: SignedRequest): Promise<Answer> =>
  postJson(`${stack.url}/zalo/webhook`, request.rawBody, request.headers);

export { scanAll } from '../support/scan-all';
