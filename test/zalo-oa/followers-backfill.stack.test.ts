/**
 * Followers from Zalo's own list (getlist on the fake Zalo) merged with follow/unfollow webhooks through
 * the local stack, in both orders: an event after the listing's as-of time wins, the listing wins over an
 * event before it, whichever arrives first. Then a large OA (1,000 followers, 20 pages; 10,000 took 82 s on
 * DynamoDB Local, too long for every run) paged, stopped and resumed, a rate limit that leaves the job resumable, and a revoked OA.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../../infra/fakes/zalo-api';
import { buildDocumentClient } from '../../lib/store/client';
import { buildBackfillJobStore } from '../../lib/store/backfill-jobs';
import { buildFollowerBackfillWriter } from '../../lib/store/followers';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { followersPk } from '../../lib/table/zalo';
import { buildZaloOpenApi } from '../../lib/zalo-api/openapi';
import { LOCAL_DEV_TOKEN_KEY, tokenKey } from '../../lib/seal';
import { runBackfill, type BackfillDeps } from '../../lib/zalo-oa/followers-backfill';
import { ZALO_FIXTURE_APP_ID, zaloFixture } from '../support/fixtures';
import { API_KEY, postJson, readApi, useStack } from '../support/stack';
import { zaloMac } from '../zalo/sign';
import { connectOa } from './flow';

const ADMIN_KEY = 'test-admin-key';
const [U1, U2, U3, U4] = ['6000000000000000001', '6000000000000000002', '6000000000000000003', '6000000000000000004'];

let fake: FakeZalo;
beforeAll(async () => {
  fake = await startFakeZalo({ apps: { [ZALO_FIXTURE_APP_ID]: 'app-secret' } });
  process.env.ZALO_OAUTH_BASE_URL = fake.url;
  process.env.ZALO_OPENAPI_BASE_URL = fake.url;
});
const stack = useStack({
  env: {
    ZALO_APP_SECRETS: JSON.stringify({ [ZALO_FIXTURE_APP_ID]: 'app-secret' }),
    ZALO_STATE_SECRET: 'state-secret',
    ZALO_TOKEN_KEY: LOCAL_DEV_TOKEN_KEY,
    ADMIN_API_KEYS: ADMIN_KEY,
  },
});
afterAll(() => fake.close());

/** A signed follow/unfollow webhook for `userId` at `at`, from the fixture's envelope. */
const followEvent = async (name: 'follow' | 'unfollow', oaId: string, userId: string, at: number) => {
  const envelope = JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>;
  const body = JSON.stringify({ ...envelope, oa_id: oaId, follower: { id: userId }, timestamp: String(at) });
  const answer = await postJson(`${stack().url}/zalo/webhook`, body, { 'x-zevent-signature': zaloMac(body) });
  expect(answer.status).toBe(200);
};

const backfillNow = async (oaId: string, restart = false) => {
  const answer = await postJson<{ backfill: { asOf: string; done: boolean; merged: number; offset: number; lastError: string | null } }>(
    `${stack().url}/api/admin/zalo/followers-backfill`, JSON.stringify({ oaId, restart }), { authorization: `Bearer ${ADMIN_KEY}` });
  expect(answer.status).toBe(200);
  return answer.body.backfill;
};

const followers = async (oaId: string): Promise<string[]> => {
  const answer = await readApi<{ followers: Array<{ userId: string }> }>(stack(), `/api/oa/${oaId}/followers?limit=500`);
  return answer.status === 404 ? [] : answer.body.followers.map((f) => f.userId).sort();
};

describe('backfill and follow/unfollow events, both orders', () => {
  it('listing first, then events: a later unfollow removes, an earlier one does not, a later follow adds', async () => {
    const oa = '2000000000000000001';
    fake.setFollowers(oa, [U1, U2, U3]);
    expect((await connectOa(stack(), fake, oa)).callback.status).toBe(200);
    const job = await backfillNow(oa); // the job the callback started
    expect(job).toMatchObject({ done: true, merged: 3, offset: 3 });
    const asOf = Date.parse(job.asOf);
    expect(await followers(oa)).toEqual([U1, U2, U3]);
    await followEvent('unfollow', oa, U1, asOf + 60_000);
    await followEvent('unfollow', oa, U2, asOf - 3_600_000);
    await followEvent('follow', oa, U4, asOf + 120_000);
    expect(await followers(oa)).toEqual([U2, U3, U4]);
  });

  it('events first, then the listing: the same followers', async () => {
    const oa = '2000000000000000002';
    fake.setFollowers(oa, [U1, U2, U3]);
    expect((await connectOa(stack(), fake, oa)).callback.status).toBe(200);
    const soon = Date.now();
    // Timestamps after the listing's start (Zalo's clock may be ahead by minutes) and one long before it.
    await followEvent('unfollow', oa, U1, soon + 5 * 60_000);
    await followEvent('unfollow', oa, U2, soon - 3_600_000);
    await followEvent('follow', oa, U4, soon + 4 * 60_000);
    expect(await followers(oa)).toEqual([U4]);
    const job = await backfillNow(oa, true);
    expect(Date.parse(job.asOf)).toBeLessThan(soon + 4 * 60_000);
    expect(job).toMatchObject({ done: true, offset: 3 });
    expect(await followers(oa)).toEqual([U2, U3, U4]);
    // A second listing changes nothing the events decided.
    await backfillNow(oa, true);
    expect(await followers(oa)).toEqual([U2, U3, U4]);
  });

  it('the admin route needs the admin key and a connected OA', async () => {
    const tenantKey = await postJson(`${stack().url}/api/admin/zalo/followers-backfill`, JSON.stringify({ oaId: '2000000000000000001' }), { authorization: `Bearer ${API_KEY}` });
    expect(tenantKey.status).toBe(403);
    const unknown = await postJson(`${stack().url}/api/admin/zalo/followers-backfill`, JSON.stringify({ oaId: '2999999999999999999' }), { authorization: `Bearer ${ADMIN_KEY}` });
    expect(unknown.status).toBe(404);
  });
});

describe('a large OA, rate limits, revocation (the backfill against the fake, on the stack\'s table)', () => {
  const deps = (hasTime: () => boolean): BackfillDeps => {
    const doc = buildDocumentClient(stack().endpoint);
    const table = stack().tables.Messages;
    return {
      jobs: buildBackfillJobStore(doc, table),
      tokens: buildTokenStore(doc, table),
      tokenKey: tokenKey(LOCAL_DEV_TOKEN_KEY),
      api: buildZaloOpenApi({ openApiBaseUrl: fake.url, policy: { timeoutMs: 5000, attempts: 1, backoffMs: 0 } }),
      followers: buildFollowerBackfillWriter(doc, table),
      now: Date.now,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as BackfillDeps['log'],
      telemetry: { count: () => undefined },
      hasTime,
      pauseMs: 0,
    };
  };
  const stored = async (oaId: string): Promise<number> => {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await buildDocumentClient(stack().endpoint).send(new QueryCommand({
        TableName: stack().tables.Messages, KeyConditionExpression: 'pk = :pk', FilterExpression: 'following = :yes',
        ExpressionAttributeValues: { ':pk': followersPk('default', oaId), ':yes': true }, Select: 'COUNT', ExclusiveStartKey: start,
      }));
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  };

  it('1,000 followers: 20 pages of 50, stopped after 3 pages and resumed from the stored offset', async () => {
    const oa = '2000000000000000003';
    fake.setFollowers(oa, Array.from({ length: 1_000 }, (_, i) => String(7000000000000000000n + BigInt(i))));
    expect((await connectOa(stack(), fake, oa)).callback.status).toBe(200);
    const jobs = buildBackfillJobStore(buildDocumentClient(stack().endpoint), stack().tables.Messages);
    let pages = 0;
    const first = await runBackfill(deps(() => pages++ < 3), (await jobs.get('default', oa))!);
    expect(first).toMatchObject({ done: false, offset: 150, merged: 150, total: 1_000 });
    expect(await jobs.get('default', oa)).toMatchObject({ offset: 150, done: false });
    const started = Date.now();
    const rest = await runBackfill(deps(() => true), (await jobs.get('default', oa))!);
    const ms = Date.now() - started;
    expect(rest).toMatchObject({ done: true, offset: 1_000, merged: 1_000 });
    expect(await stored(oa)).toBe(1_000);
    const calls = fake.requests.filter((r) => r.path === '/v3.0/oa/user/getlist').length;
    console.log(`[backfill] 850 followers merged in ${ms} ms (${Math.round(850 / (ms / 1000))}/s), getlist calls so far ${calls}`);
  }, 120_000);

  it('a rate-limited page leaves the job pending at the same offset, with the error; the next run goes on', async () => {
    const oa = '2000000000000000004';
    fake.setFollowers(oa, Array.from({ length: 120 }, (_, i) => String(8000000000000000000n + BigInt(i))));
    expect((await connectOa(stack(), fake, oa)).callback.status).toBe(200);
    const jobs = buildBackfillJobStore(buildDocumentClient(stack().endpoint), stack().tables.Messages);
    fake.setSwitches({ getlistRateLimited: true });
    const limited = await runBackfill(deps(() => true), (await jobs.get('default', oa))!);
    expect(limited).toMatchObject({ done: false, offset: 0 });
    expect(limited.lastError).toContain('-32');
    fake.setSwitches({ getlistRateLimited: undefined });
    expect(await runBackfill(deps(() => true), (await jobs.get('default', oa))!)).toMatchObject({ done: true, offset: 120, merged: 120 });
    expect((await jobs.get('default', oa))!.lastError).toBeUndefined();
  });

  it('an OA whose access was revoked ends its job without calling Zalo', async () => {
    const oa = '2000000000000000005';
    expect((await connectOa(stack(), fake, oa)).callback.status).toBe(200);
    const doc = buildDocumentClient(stack().endpoint);
    await buildTokenStore(doc, stack().tables.Messages).markRevoked('default', oa, Date.now(), 'permission_revoked');
    const calls = fake.requests.length;
    const jobs = buildBackfillJobStore(doc, stack().tables.Messages);
    expect(await runBackfill(deps(() => true), (await jobs.get('default', oa))!)).toMatchObject({ done: true, lastError: 'the OA is not connected' });
    expect(fake.requests.length).toBe(calls);
  });
});
