/**
 * The HTML pages a browser opens outside the console (`GET /`, the OA callback's result page) are not
 * framable and run nothing: a strict CSP with frame-ancestors 'none', X-Frame-Options, nosniff, no referrer.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { oaCallback } from '../../lib/api/onboarding';
import type { ConnectDeps } from '../../lib/zalo-oa/connect';

const hardened = (answer: APIGatewayProxyStructuredResultV2) => {
  const headers = answer.headers ?? {};
  expect(headers['content-type']).toMatch(/^text\/html/);
  expect(String(headers['content-security-policy'])).toMatch(/default-src 'none'/);
  expect(String(headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
};

describe('HTML pages', () => {
  it('GET / (domain verification) is served with a strict CSP and no framing', async () => {
    process.env.MESSAGES_TABLE ??= 'unused-messages';
    process.env.COUNTERS_TABLE ??= 'unused-counters';
    process.env.ZALO_SITE_VERIFICATION = 'abc123';
    const { sitePageHandler } = await import('../../lib/wiring/site-verification');
    const answer = await sitePageHandler();
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('content="abc123"');
    hardened(answer);
  });

  it('the OA callback\'s result page (here: a refusal) is served with a strict CSP and no framing', async () => {
    const deps = { log: { debug() {}, info() {}, warn() {}, error() {} }, telemetry: { count() {} }, stateSecret: 's', now: () => 0 } as unknown as ConnectDeps;
    const answer = await oaCallback(deps)({ queryStringParameters: { code: 'c' } } as unknown as APIGatewayProxyEventV2);
    expect(answer.statusCode).toBe(400);
    hardened(answer);
  });
});
