/**
 * The Zalo read routes: one message's events (linked to its SMSID), an OA's followers, a conversation,
 * an OA's derived state (templates, quota, consent, connection) and a Journey's charge state. Every read
 * is the caller's tenant's: another tenant's msg_id, OA or Journey answers 404, as one never seen does.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { decodeCursor, encodeCursor } from '../table/cursor';
import { conversationPk, followersPk } from '../table/zalo';
import type { FollowerStore, TokenStore, ZaloEventStore, ZaloLinkStore, ZaloStateStore } from '../zalo/ports';
import { consentView, journeyView, oaStateView } from '../zalo/state-view';
import { followerView, zaloEventView, zaloMessageView } from '../zalo/view';
import type { AnswerBody } from './answers';
import { pageList } from './paging';
import { listParams, pathParam, type Caller } from './read-api';

/** `limit` and `next` (`cursor`, the older name, is still read). */
const pageParams = (event: APIGatewayProxyEventV2) => {
  const { limit, next } = listParams(event);
  return { limit, next: next ?? (event.queryStringParameters?.cursor || undefined) };
};

/** The cursor handed back only when more may follow. */
const nextOf = (lastKey: Record<string, unknown> | undefined) => {
  const next = encodeCursor(lastKey);
  return next === undefined ? {} : { next };
};

/** Time order (as the view shows them), then the stored key: unique, so a page ends on one event. */
const eventKey = (item: { eventTime: number; pk: string; sk: string }) => `${String(item.eventTime).padStart(15, '0')}|${item.sk}|${item.pk}`;

/**
 * GET /api/zalo/messages/{msgId}?limit&next: sent/received/seen/feedback events of a Zalo message (a page
 * of them, oldest first) and its SMSID. The events come from several partitions (the message's own, its
 * conversation's receipts), so they are gathered, then paged in time order.
 */
export const getZaloMessage = (events: Pick<ZaloEventStore, 'eventsOfMessage'>, links: Pick<ZaloLinkStore, 'smsIdsOf'>, smsIdsOfRequest?: SmsIdsOfRequest) =>
  async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'ZaloMessage'>> => {
    const msgId = pathParam(event, 'msgId');
    const { limit, next } = pageParams(event);
    const [stored, smsIds] = await Promise.all([events.eventsOfMessage(caller.tenant, msgId), links.smsIdsOf(caller.tenant, msgId)]);
    if (stored.length === 0 && smsIds.length === 0) throw new RequestError(404, 'msgId', `nothing stored for Zalo msg_id ${msgId}`);
    const requestIds = [...new Set(stored.flatMap((item) => (item.trackingId ? [item.trackingId] : [])))].sort().slice(0, MAX_LINKED_REQUESTS);
    const byRequest = smsIdsOfRequest
      ? await Promise.all(requestIds.map(async (requestId) => ({ requestId, smsIds: await smsIdsOfRequest(caller.tenant, requestId, MAX_LINKED_MESSAGES) })))
      : [];
    const page = pageList(stored, eventKey, limit, next);
    return { message: zaloMessageView(msgId, page.items, smsIds, byRequest), ...(page.next !== undefined && { next: page.next }) };
  };

/** The tenant's SMSIDs whose RequestId is `requestId`, newest first, at most `limit` (the byRequestId index). */
export type SmsIdsOfRequest = (tenant: string, requestId: string, limit: number) => Promise<string[]>;

/** Bounds of the RequestId join: a message's events echo one tracking id, and a RequestId names a few sends. */
const MAX_LINKED_REQUESTS = 5;
const MAX_LINKED_MESSAGES = 20;

/** GET /api/oa/{oaId}/followers?limit&next: the users whose latest follow/unfollow is a follow. */
export const listFollowers = (followers: Pick<FollowerStore, 'listFollowers'>) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Followers'>> => {
  const oaId = pathParam(event, 'oaId');
  const { limit, next } = pageParams(event);
  const pk = followersPk(caller.tenant, oaId);
  const startKey = decodeCursor(next, (key) => key.pk === pk);
  const page = await followers.listFollowers(caller.tenant, oaId, { limit, ...(startKey ? { startKey } : {}) });
  // An OA of another tenant, or one never seen, has no follower item here at all: 404 rather than an empty list.
  if (startKey === undefined && !page.anyStored) throw new RequestError(404, 'oaId', `no follower of OA ${oaId} stored`);
  return { oaId, followers: page.items.map(followerView), ...nextOf(page.lastKey) };
};

/** GET /api/oa/{oaId}/users/{userId}/messages?limit&next&order=asc|desc: the user's chat with the OA. */
export const listConversation = (events: Pick<ZaloEventStore, 'conversation'>) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Conversation'>> => {
  const oaId = pathParam(event, 'oaId');
  const userId = pathParam(event, 'userId');
  const order = event.queryStringParameters?.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new RequestError(400, 'order', 'order must be asc or desc');
  const { limit, next } = pageParams(event);
  const pk = conversationPk(caller.tenant, oaId, userId);
  const startKey = decodeCursor(next, (key) => key.pk === pk);
  const page = await events.conversation(caller.tenant, oaId, userId, { limit, newestFirst: order === 'desc', ...(startKey ? { startKey } : {}) });
  if (startKey === undefined && page.items.length === 0) throw new RequestError(404, 'userId', `no conversation of user ${userId} with OA ${oaId}`);
  return { oaId, userId, events: page.items.map(zaloEventView), ...nextOf(page.lastKey) };
};

/**
 * GET /api/oa/{oaId}/state?phone=…&limit&next: templates (a page of them, by template id), daily quota,
 * content tags, connection; call consent of one phone. The OA-level fields come with every page.
 */
export const getOaState = (state: Pick<ZaloStateStore, 'oaState' | 'consent'>, tokens: Pick<TokenStore, 'get'>) =>
  async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'OaState'>> => {
    const oaId = pathParam(event, 'oaId');
    const phone = event.queryStringParameters?.phone;
    if (phone !== undefined && !/^[0-9a-fA-F+]{6,64}$/.test(phone)) throw new RequestError(400, 'phone', 'phone must be digits (or a hashed phone)');
    const { limit, next } = pageParams(event);
    const [items, connection, consent] = await Promise.all([
      state.oaState(caller.tenant, oaId), tokens.get(caller.tenant, oaId), phone === undefined ? undefined : state.consent(caller.tenant, oaId, phone),
    ]);
    const seen = connection !== undefined || consent !== undefined || items.templates.length > 0 || items.quota !== undefined || items.tags !== undefined;
    if (!seen) throw new RequestError(404, 'oaId', `nothing stored for OA ${oaId}`);
    const templates = pageList(items.templates, (template) => template.templateId, limit, next);
    return {
      state: {
        ...oaStateView(oaId, { ...items, templates: templates.items }, connection),
        ...(phone === undefined ? {} : { consent: consent ? consentView(consent) : null }),
      },
      ...(templates.next !== undefined && { next: templates.next }),
    };
  };

/** GET /api/zalo/journeys/{journeyId}: whether Zalo charged the Journey, or it expired unused. */
export const getJourney = (state: Pick<ZaloStateStore, 'journey'>) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Journey'>> => {
  const journeyId = pathParam(event, 'journeyId');
  const item = await state.journey(caller.tenant, journeyId);
  if (!item) throw new RequestError(404, 'journeyId', `no Journey event stored for ${journeyId}`);
  return { journey: journeyView(item) };
};
