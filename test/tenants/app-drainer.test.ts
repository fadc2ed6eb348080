/**
 * The drain as the Zalo app routes run it (lib/tenants/drain.ts `buildAppDrainer`), over in-memory stores:
 * nothing while the app has no key; each kept request verified with the app's key as of its arrival and
 * signed by this very app; ingested under the app's tenant. Paging and crashes: drain.stack.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../lib/seal';
import { SEAL_CONTEXT } from '../../lib/table/registry';
import { buildAppDrainer } from '../../lib/tenants/drain';
import type { KeptPendingRequest, StoredZaloApp } from '../../lib/tenants/ports';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET, zaloFixture } from '../support/fixtures';
import { fresh } from '../zalo/sign';

const key = randomBytes(32);
const ARRIVED = Date.parse('2026-06-01T00:00:00Z');

const setUp = (oaSecretKey: string | undefined, kept: KeptPendingRequest[]) => {
  const app: StoredZaloApp = { appId: ZALO_FIXTURE_APP_ID, tenant: 'acme', oaSecretKey, appSecret: undefined, pendingKept: kept.length, drainedIngested: 0, drainedDiscarded: 0 };
  const queue = [...kept];
  const ingested: Array<[string, string]> = [];
  const drain = buildAppDrainer({
    registry: { getZaloApp: async (appId) => (appId === app.appId ? app : undefined) },
    pending: {
      oldest: async (_appId, limit) => queue.slice(0, limit),
      settle: async (_appId, ids, counts) => {
        queue.splice(0, ids.length);
        app.drainedIngested += counts.ingested;
        app.drainedDiscarded += counts.discarded;
        return true;
      },
    },
    open: (sealed, context) => open(key, sealed, context),
    ingest: async (tenant, request) => ingested.push([tenant, request.raw]),
    budget: () => () => true,
    log: { info: () => undefined },
  });
  return { drain, ingested };
};

const keptRequest = (id: string, rawBody: string, headers: Record<string, string>): KeptPendingRequest => ({ id, raw: rawBody, headers, receivedAt: ARRIVED });

describe('buildAppDrainer', () => {
  it('does nothing while the app has no OA Secret Key', async () => {
    const signed = fresh(zaloFixture('follow'), ARRIVED);
    const { drain, ingested } = setUp(undefined, [keptRequest('1', signed.rawBody, signed.headers)]);
    expect(await drain(ZALO_FIXTURE_APP_ID)).toBeUndefined();
    expect(ingested).toEqual([]);
  });

  it('ingests under the app\'s tenant what the app\'s key signed at arrival; discards a forged one and one signed for another app', async () => {
    const good = fresh(zaloFixture('follow'), ARRIVED);
    const forged = { rawBody: good.rawBody.replace('"follow"', '"unfollow"'), headers: good.headers };
    const otherBody = good.rawBody.replace(ZALO_FIXTURE_APP_ID, '1111111111111111111');
    const other = fresh({ ...zaloFixture('follow'), rawBody: otherBody }, ARRIVED);
    const sealedKey = seal(key, ZALO_FIXTURE_SECRET, SEAL_CONTEXT.oaSecretKey(ZALO_FIXTURE_APP_ID));
    const { drain, ingested } = setUp(sealedKey, [
      keptRequest('1', good.rawBody, good.headers), keptRequest('2', forged.rawBody, forged.headers), keptRequest('3', other.rawBody, other.headers),
    ]);
    expect(await drain(ZALO_FIXTURE_APP_ID)).toEqual({ ingested: 1, discarded: 2, incomplete: false });
    expect(ingested).toEqual([['acme', good.rawBody]]);
  });
});
