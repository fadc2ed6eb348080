/**
 * The state users need from OA-level events, through POST /zalo/webhook and the read API: call consent
 * per phone, template status/quality/quota, the daily quota, content tags and Journey charges, each
 * ending on its newest event whatever the arrival order.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { getOaState } from '../../lib/api/zalo';
import { stateChanges } from '../../lib/zalo/state';
import { buildTokenStore } from '../../lib/store/oauth-tokens';
import { vietnamIso } from '../../lib/time';
import { ZALO_FIXTURE_APP_ID, zaloFixture } from '../support/fixtures';
import { documentClient, readApi, useStack } from '../support/stack';
import { postZalo, signedEnvelope } from './client';
import { known } from './events';

const stack = useStack();
const envelope = (name: string) => JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>;
const T = Date.now() - 10 * 60_000;
/** Answers show times in Vietnam time (`+07:00`), as every route does. */
const iso = vietnamIso;

/** Posts the events in the given order (by index) and returns the answers' statuses. */
const deliver = async (events: Array<Record<string, unknown>>, order: readonly number[]) => {
  const statuses = [];
  for (const index of order) statuses.push((await postZalo(stack(), signedEnvelope(events[index]!))).status);
  expect(statuses.every((status) => status === 200)).toBe(true);
};

const ORDERS = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]].map((order) => [order] as const);

type StateAnswer = Awaited<ReturnType<ReturnType<typeof getOaState>>>;

describe('call consent per (OA, phone)', () => {
  it.each(ORDERS)('request SENT → reply ALLOW → request EXPIRED of an older request, in order %j: newest wins', async (order) => {
    const oaId = `oa-${randomUUID()}`;
    const phone = '84901234567';
    const events = [
      { ...envelope('oa_send_consent'), oa_id: oaId, timestamp: String(T) },
      { ...envelope('user_reply_consent'), oa_id: oaId, timestamp: String(T + 2000) },
      { ...envelope('oa_send_consent--expired'), oa_id: oaId, timestamp: String(T + 1000) },
    ];
    await deliver(events, order);
    const answer = await readApi<StateAnswer>(stack(), `/api/oa/${oaId}/state?phone=${phone}`);
    expect(answer.status).toBe(200);
    expect(answer.body.state.consent).toMatchObject({ phone, state: 'ALLOW', lastEvent: 'user_reply_consent', changedAt: iso(T + 2000), expiresAt: null });
  });
});

describe('templates, quota and tags per OA', () => {
  it.each(ORDERS)('status changes, quality and quota in order %j', async (order) => {
    const oaId = `oa-${randomUUID()}`;
    const events = [
      { ...envelope('change_template_status'), oa_id: oaId, status: { prev_status: 'PENDING_REVIEW', new_status: 'REJECT' }, timestamp: String(T) },
      { ...envelope('change_template_status'), oa_id: oaId, status: { prev_status: 'REJECT', new_status: 'ENABLE' }, reason: 'ok', timestamp: String(T + 1000) },
      { ...envelope('change_template_quality'), oa_id: oaId, timestamp: String(T + 500) },
    ];
    await deliver(events, order);
    const { body } = await readApi<StateAnswer>(stack(), `/api/oa/${oaId}/state`);
    expect(body.state.templates).toEqual([expect.objectContaining({
      templateId: '2056446', status: 'ENABLE', prevStatus: 'REJECT', reason: 'ok', statusAt: iso(T + 1000), quality: 'LOW', qualityAt: iso(T + 500),
    })]);
  });

  it('daily quota, template quota and content tags from their fixtures', async () => {
    const oaId = `oa-${randomUUID()}`;
    await deliver([
      { ...envelope('change_oa_daily_quota'), oaId, timestamp: String(T) },
      { ...envelope('change_template_quota'), oa_id: oaId, timestamp: String(T + 1) },
      { ...envelope('change_oa_template_tags'), oa_id: oaId, timestamp: String(T + 2) },
    ], [0, 1, 2]);
    const { body } = await readApi<StateAnswer>(stack(), `/api/oa/${oaId}/state`);
    expect(body.state).toMatchObject({
      oaId,
      connection: { connected: false },
      dailyQuota: { value: 1000, previous: 500, changedAt: iso(T) },
      templateTags: { detail: { oa_id: oaId, tag_level: { new_value: ['TRANSACTION', 'CUSTOMER_CARE', 'PROMOTION'] } } },
      templates: [expect.objectContaining({ templateId: '2056446', quota: expect.objectContaining({ quota: { prev_value: 1000, new_value: 200 } }) })],
    });
  });
});

describe('Journey charges per journey id', () => {
  it('charged and expired events land on the journey, in either order', async () => {
    for (const order of [[0, 1], [1, 0]]) {
      const journeyId = `j-${randomUUID()}`;
      await deliver([
        { ...envelope('event_journey_acknowledged'), journey_id: journeyId, timestamp: String(T) },
        { ...envelope('event_journey_time_out'), journey_id: journeyId, timestamp: String(T + 1000) },
      ], order);
      const answer = await readApi<{ journey: Record<string, unknown> }>(stack(), `/api/zalo/journeys/${journeyId}`);
      expect(answer.body.journey).toMatchObject({ journeyId, charged: true, chargedAt: iso(T), expiredAt: iso(T + 1000) });
    }
    expect((await readApi(stack(), '/api/zalo/journeys/none')).status).toBe(404);
  });
});

describe('stateChanges (pure)', () => {
  const changesOf = (name: string, over: Record<string, unknown> = {}) => {
    const body = JSON.stringify({ ...envelope(name), ...over });
    return stateChanges(known(body), 'default');
  };

  it('one change per stateful event (consent events: and the pointer under the phone), none for chat or receipts', () => {
    for (const name of ['follow', 'unfollow', 'change_template_status', 'change_template_quality',
      'change_template_quota', 'change_oa_daily_quota', 'change_oa_template_tags', 'event_journey_acknowledged', 'event_journey_time_out']) {
      expect(changesOf(name), name).toHaveLength(1);
    }
    for (const name of ['oa_send_consent', 'user_reply_consent']) {
      const [consent, pointer] = changesOf(name, { phone: '0901234567', timestamp: '1767225670000' });
      expect(consent!.key.sk, name).toBe('P#0901234567');
      // The pointer is keyed by the normalised phone and names the OA and the Vietnam day of the event.
      expect(pointer, name).toMatchObject({ key: { pk: 'T#default#ZCONSENT#P#84901234567', sk: 'O#1397492183140006179#2026-01-01' }, set: { oaId: '1397492183140006179', day: '2026-01-01' } });
    }
    for (const name of ['user_send_text', 'oa_send_text', 'user_received_message', 'user_seen_message', 'user_feedback', 'add_user_to_tag']) {
      expect(changesOf(name), name).toEqual([]);
    }
  });

  it('a journey event without a journey id (inferred shape) changes no state', () => {
    expect(changesOf('event_journey_acknowledged', { journey_id: undefined })).toEqual([]);
  });

  it('at the same millisecond an unfollow orders after a follow, and a reply after a request', () => {
    const [follow] = changesOf('follow', { timestamp: '1000' });
    const [unfollow] = changesOf('unfollow', { timestamp: '1000' });
    expect(unfollow!.order > follow!.order).toBe(true);
    const [request] = changesOf('oa_send_consent', { timestamp: '1000' });
    const [reply] = changesOf('user_reply_consent', { timestamp: '1000' });
    expect(reply!.order > request!.order).toBe(true);
    expect(follow!.kind).toBe('follower');
  });
});

describe('permission_revoked', () => {
  it('marks the connected OA disconnected (shown in its state), and an older revocation than the connection changes nothing', async () => {
    const oaId = `oa-${randomUUID()}`;
    const tokens = buildTokenStore(documentClient(stack().endpoint), stack().tables.Messages);
    const connectedAt = Date.now() - 5 * 60_000;
    await tokens.save({ tenant: 'default', oaId, appId: ZALO_FIXTURE_APP_ID, access: 'sealed-a', refresh: 'sealed-r', accessExpiresAt: connectedAt + 3_600_000, connectedAt, refreshedAt: connectedAt });
    const revocation = (at: number) => signedEnvelope({ app_id: ZALO_FIXTURE_APP_ID, oa_id: oaId, event_name: 'permission_revoked', timestamp: String(at) });
    expect(await postZalo(stack(), revocation(connectedAt - 60_000))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect((await readApi<StateAnswer>(stack(), `/api/oa/${oaId}/state`)).body.state.connection).toMatchObject({ connected: true });
    expect(await postZalo(stack(), revocation(connectedAt + 60_000))).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect((await readApi<StateAnswer>(stack(), `/api/oa/${oaId}/state`)).body.state.connection).toMatchObject({
      connected: false, revokedAt: iso(connectedAt + 60_000), revokedReason: 'permission_revoked event',
    });
  });
});
