/**
 * The webhook counts a pending app's requests by the network they came from (issue 22 finding 2): the
 * source API Gateway saw (`requestContext.http.sourceIp`, which a client cannot choose), as a /24 or /48.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sourceNetwork } from '../../lib/http/request';
import { buildZaloIngest, type ZaloIngestDeps } from '../../lib/inbound/zalo';
import type { PendingZaloRequest } from '../../lib/zalo/ports';
import { signed } from '../zalo/sign';

describe('source networks', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24'],
    ['::ffff:203.0.113.250', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:0db8:00ab::', '2001:db8:ab::/48'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('%s → %s', (ip, network) => {
    expect(sourceNetwork(ip)).toBe(network);
  });

  it('a pending app\'s request is kept with the network it came from', async () => {
    const kept: PendingZaloRequest[] = [];
    const deps: Pick<ZaloIngestDeps, 'apps' | 'pending' | 'now' | 'telemetry' | 'log'> = {
      apps: { find: async (appId) => ({ appId, tenant: 'acme', secret: undefined }) },
      pending: { keep: async (_app, request) => { kept.push(request); return { kept: true, pending: true }; } },
      now: () => Date.now(),
      telemetry: { count: () => undefined },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    // The event and state stores are never reached: a pending app's request stops at `pending.keep`.
    const ingest = buildZaloIngest(deps as ZaloIngestDeps);
    const request = signed(JSON.stringify({ app_id: '9100000000000000001', event_name: 'follow', timestamp: String(Date.now()) }));
    const answer = await ingest({
      headers: request.headers, body: request.rawBody, isBase64Encoded: false, requestContext: { http: { sourceIp: '198.51.100.23' } },
    } as unknown as APIGatewayProxyEventV2);
    expect(JSON.parse(answer.body ?? '{}')).toEqual({ ok: true, pending: true });
    expect(kept.map((request) => request.source)).toEqual(['198.51.100.0/24']);
  });
});
