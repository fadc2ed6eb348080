/**
 * Followers stay right whatever order follow/unfollow arrive in: each (OA, user) keeps the state of its
 * newest event (a conditional update), proven through POST /zalo/webhook and GET /api/oa/{oaId}/followers
 * with seeded random shuffles, concurrent deliveries and redeliveries.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followerKey } from '../../lib/table/zalo';
import { zaloFixture } from '../support/fixtures';
import { readApi, useStack } from '../support/stack';
import { postZalo, signedEnvelope } from './client';

const stack = useStack();
const followTemplate = JSON.parse(zaloFixture('follow').rawBody) as Record<string, unknown>;
const unfollowTemplate = JSON.parse(zaloFixture('unfollow').rawBody) as Record<string, unknown>;

interface Change { userId: string; follow: boolean; at: number }

const envelopeOf = (oaId: string, { userId, follow, at }: Change) => ({
  ...(follow ? followTemplate : unfollowTemplate),
  oa_id: oaId,
  follower: { id: userId },
  timestamp: String(at),
});

/** The expected end state: per user the newest change wins; at the same millisecond an unfollow wins. */
const expectedFollowers = (changes: Change[]): Map<string, number> => {
  const latest = new Map<string, Change>();
  for (const change of changes) {
    const seen = latest.get(change.userId);
    if (!seen || change.at > seen.at || (change.at === seen.at && !change.follow)) latest.set(change.userId, change);
  }
  return new Map([...latest.values()].filter((change) => change.follow).map((change) => [change.userId, change.at]));
};

interface FollowersPage { followers: Array<{ userId: string; followedAt: string }>; next?: string }

/** Reads every page (small pages, so the cursor is exercised). */
const readFollowers = async (oaId: string): Promise<Map<string, number>> => {
  const found = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const query: string = `?limit=2${cursor ? `&next=${cursor}` : ''}`;
    const page = await readApi<FollowersPage>(stack(), `/api/oa/${oaId}/followers${query}`);
    expect(page.status).toBe(200);
    for (const follower of page.body.followers) found.set(follower.userId, Date.parse(follower.followedAt));
    cursor = page.body.next;
  } while (cursor);
  return found;
};

/** Per user a run of changes at increasing times, some sharing a millisecond; then all of them shuffled. */
const scenario = fc
  .array(fc.array(fc.record({ follow: fc.boolean(), gap: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 })
  .chain((users) => {
    const start = Date.now() - 60_000;
    const changes = users.flatMap((runs, index) => {
      const userId = `u${index}-${randomUUID().slice(0, 6)}`;
      let at = start;
      return runs.map(({ follow, gap }) => ({ userId, follow, at: (at += gap) }));
    });
    return fc.tuple(fc.constant(changes), fc.shuffledSubarray(changes, { minLength: changes.length, maxLength: changes.length }));
  });

describe('followers under shuffled follow/unfollow', () => {
  it('end in the newest state per user, for seeded random orders, delivered concurrently and twice', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([changes, shuffled]) => {
        const oaId = `oa-${randomUUID()}`;
        const requests = shuffled.map((change) => signedEnvelope(envelopeOf(oaId, change)));
        const answers = await Promise.all(requests.map((request) => postZalo(stack(), request)));
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
        // Redeliver everything in reverse: duplicates, and nothing moves.
        const again = [];
        for (const request of [...requests].reverse()) again.push(await postZalo(stack(), request));
        expect(again.every((answer) => answer.body.duplicate === true)).toBe(true);
        expect(await readFollowers(oaId)).toEqual(expectedFollowers(changes));
      }),
      { numRuns: 12, seed: 20260101 },
    );
  });

  it('a few hand-picked orders of follow → unfollow → follow for one user', async () => {
    const at = Date.now() - 30_000;
    const sequence: Change[] = [
      { userId: 'alice', follow: true, at },
      { userId: 'alice', follow: false, at: at + 1000 },
      { userId: 'alice', follow: true, at: at + 2000 },
    ];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [1, 0, 2], [0, 2, 1]]) {
      const oaId = `oa-${randomUUID()}`;
      for (const index of order) await postZalo(stack(), signedEnvelope(envelopeOf(oaId, sequence[index]!)));
      expect(await readFollowers(oaId), `order ${order.join(',')}`).toEqual(new Map([['alice', at + 2000]]));
    }
  });

  it('refuses a cursor from another listing', async () => {
    const foreign = Buffer.from(JSON.stringify(followerKey('default', 'someone-else', 'x'))).toString('base64url');
    const answer = await readApi(stack(), `/api/oa/oa-1/followers?next=${foreign}`);
    expect(answer).toMatchObject({ status: 400, body: { ok: false, error: { field: 'next' } } });
    const otherTenant = Buffer.from(JSON.stringify(followerKey('acme', 'oa-1', 'x'))).toString('base64url');
    expect(await readApi(stack(), `/api/oa/oa-1/followers?next=${otherTenant}`)).toMatchObject({ status: 400, body: { error: { field: 'next' } } });
  });
});
