/**
 * One clock (issue 23): every timestamp the Zalo views and the reconcile answer build is ISO 8601 with
 * `+07:00`, the offset of every other route, and names the same instant as the stored epoch-ms value.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { reconcileRoute } from '../../lib/api/admin';
import { KIND } from '../../lib/table/names';
import type { TokenRecord } from '../../lib/table/oauth';
import type { StoredZaloEvent } from '../../lib/table/zalo';
import { consentView, journeyView, oaStateView } from '../../lib/zalo/state-view';
import { followerView, zaloEventView, zaloMessageView } from '../../lib/zalo/view';

const T = Date.parse('2026-03-01T17:30:00.250Z');
const VN = '2026-03-02T00:30:00.250+07:00';
const OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/;

/** Every string in `value` that looks like a timestamp, with its path. */
const timestamps = (value: unknown, path = ''): Array<[string, string]> => {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => timestamps(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, item]) => timestamps(item, `${path}.${k}`));
  return [];
};
const expectVietnamClock = (value: unknown, count: number) => {
  const found = timestamps(value);
  expect(found).toHaveLength(count);
  for (const [path, text] of found) expect({ path, text }).toEqual({ path, text: expect.stringMatching(OFFSET) });
};

const event: StoredZaloEvent = {
  pk: 'T#default#ZMSG#m1', sk: 'E#1', kind: KIND.zalo, family: 'zns_delivery', eventName: 'user_received_message', appId: '1',
  oaId: '2', userId: '84901888484', msgIds: ['m1'], eventTime: T, receivedAt: T + 1000, deliveredAt: T + 500, zns: true, raw: '{}',
};

describe('Zalo views: one clock', () => {
  it('an event and a message view show eventTime, receivedAt and deliveredAt in +07:00', () => {
    expect(zaloEventView(event)).toMatchObject({ eventTime: VN, deliveredAt: '2026-03-02T00:30:00.750+07:00', receivedAt: '2026-03-02T00:30:01.250+07:00' });
    expectVietnamClock(zaloMessageView('m1', [event], ['sms-1']), 3);
    expect(Date.parse(zaloEventView(event).eventTime!)).toBe(T);
  });

  it('a follower shows when it followed in +07:00', () => {
    expect(followerView({ pk: 'p', sk: 's', kind: KIND.follower, oaId: '2', userId: 'u', following: true, changedAt: T + 9, followedAt: T }))
      .toMatchObject({ followedAt: VN });
  });

  it('the OA state (connection, templates, quota, tags), consent and Journey show every time in +07:00', () => {
    const connection: TokenRecord = {
      kind: KIND.oauth, tenant: 'default', oaId: '2', appId: '1', access: 'sealed', refresh: 'sealed', accessExpiresAt: T, connectedAt: T, refreshedAt: T, ver: 1,
      revokedAt: T, revokedReason: 'test',
    };
    const state = oaStateView('2', {
      templates: [{ templateId: '9', status: 'ENABLE', prevStatus: undefined, reason: undefined, statusAt: T, quality: 'HIGH', qualityAt: T, quotaDetail: '{}', quotaAt: T }],
      quota: { dailyQuota: 10, prevQuota: 5, changedAt: T }, tags: { detail: '[]', changedAt: T },
    }, connection);
    expectVietnamClock(state, 9);
    expectVietnamClock(consentView({ phone: '84901888484', state: 'ALLOW', lastEvent: 'user_reply_consent', changedAt: T, createTime: T, confirmedTime: T, expiredTime: T }), 4);
    expect(journeyView({ journeyId: 'j', chargedAt: T, expiredAt: T, oaId: undefined, msgId: undefined })).toMatchObject({ chargedAt: VN, expiredAt: VN });
  });
});

describe('reconcile answer: one clock', () => {
  it('from and to are answered in +07:00, naming the instants asked for', async () => {
    const route = reconcileRoute({
      account: async () => ({ apiKey: 'k', secretKey: 's' }),
      run: async () => ({ checked: 0, updated: 0, discovered: 0, failed: 0, denied: false, incomplete: false }),
      now: () => T,
    });
    const answer = await route({ body: JSON.stringify({ tenant: 'default', from: '2026-03-01T16:30:00.250Z' }), isBase64Encoded: false } as unknown as APIGatewayProxyEventV2);
    expect(answer.body).toMatchObject({ from: '2026-03-01T23:30:00.250+07:00', to: VN });
  });
});
