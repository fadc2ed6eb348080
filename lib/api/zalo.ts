/**
 * The Zalo read routes: one message's events (linked to its SMSID), an OA's followers, a conversation,
 * an OA's derived state (templates, quota, consent, connection) and a Journey's charge state.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { conversationPk, followersPk } from '../table/zalo';
import { decodeCursor, encodeCursor } from '../zalo/cursor';
import type { FollowerStore, TokenStore, ZaloEventStore, ZaloLinkStore, ZaloStateStore } from '../zalo/ports';
import { consentView, journeyView, oaStateView } from '../zalo/state-view';
import { followerView, zaloEventView, zaloMessageView } from '../zalo/view';
import { pathParam } from './read-api';

const limitParam = (event: APIGatewayProxyEventV2, fallback = 100, max = 500): number => {
  const text = event.queryStringParameters?.limit ?? String(fallback);
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new RequestError(400, 'limit', `limit must be an integer from 1 to ${max}`);
  return limit;
};

/** GET /api/zalo/messages/{msgId}: sent/received/seen/feedback events of a Zalo message and its SMSID. */
export const getZaloMessage = (events: Pick<ZaloEventStore, 'eventsOfMessage'>, links: Pick<ZaloLinkStore, 'smsIdsOf'>) =>
  async (event: APIGatewayProxyEventV2) => {
    const msgId = pathParam(event, 'msgId');
    const [stored, smsIds] = await Promise.all([events.eventsOfMessage(msgId), links.smsIdsOf(msgId)]);
    if (stored.length === 0 && smsIds.length === 0) throw new RequestError(404, 'msgId', `nothing stored for Zalo msg_id ${msgId}`);
    return { message: zaloMessageView(msgId, stored, smsIds) };
  };

/** GET /api/oa/{oaId}/followers?limit&cursor: the users whose latest follow/unfollow is a follow. */
export const listFollowers = (followers: Pick<FollowerStore, 'listFollowers'>) => async (event: APIGatewayProxyEventV2) => {
  const oaId = pathParam(event, 'oaId');
  const startKey = decodeCursor(event.queryStringParameters?.cursor, followersPk(oaId));
  const page = await followers.listFollowers(oaId, { limit: limitParam(event), ...(startKey ? { startKey } : {}) });
  return { oaId, followers: page.items.map(followerView), next: encodeCursor(page.lastKey) };
};

/** GET /api/oa/{oaId}/users/{userId}/messages?limit&cursor&order=asc|desc: the user's chat with the OA. */
export const listConversation = (events: Pick<ZaloEventStore, 'conversation'>) => async (event: APIGatewayProxyEventV2) => {
  const oaId = pathParam(event, 'oaId');
  const userId = pathParam(event, 'userId');
  const order = event.queryStringParameters?.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new RequestError(400, 'order', 'order must be asc or desc');
  const startKey = decodeCursor(event.queryStringParameters?.cursor, conversationPk(oaId, userId));
  const page = await events.conversation(oaId, userId, { limit: limitParam(event), newestFirst: order === 'desc', ...(startKey ? { startKey } : {}) });
  return { oaId, userId, events: page.items.map(zaloEventView), next: encodeCursor(page.lastKey) };
};

/** GET /api/oa/{oaId}/state?phone=…: templates, daily quota, content tags, connection; call consent of one phone. */
export const getOaState = (state: Pick<ZaloStateStore, 'oaState' | 'consent'>, tokens: Pick<TokenStore, 'get'>) =>
  async (event: APIGatewayProxyEventV2) => {
    const oaId = pathParam(event, 'oaId');
    const phone = event.queryStringParameters?.phone;
    if (phone !== undefined && !/^[0-9a-fA-F+]{6,64}$/.test(phone)) throw new RequestError(400, 'phone', 'phone must be digits (or a hashed phone)');
    const [items, connection, consent] = await Promise.all([
      state.oaState(oaId), tokens.get(oaId), phone === undefined ? undefined : state.consent(oaId, phone),
    ]);
    return {
      state: {
        ...oaStateView(oaId, items, connection),
        ...(phone === undefined ? {} : { consent: consent ? consentView(consent) : null }),
      },
    };
  };

/** GET /api/zalo/journeys/{journeyId}: whether Zalo charged the Journey, or it expired unused. */
export const getJourney = (state: Pick<ZaloStateStore, 'journey'>) => async (event: APIGatewayProxyEventV2) => {
  const journeyId = pathParam(event, 'journeyId');
  const item = await state.journey(journeyId);
  if (!item) throw new RequestError(404, 'journeyId', `no Journey event stored for ${journeyId}`);
  return { journey: journeyView(item) };
};
