import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import type { EsmsMessageStore } from '../esms/ports';
import { currentState } from '../esms/state';
import { messageSummary, recipientsView } from '../esms/view';
import type { RejectedLog } from '../replay/ports';
import { vietnamDay, vietnamIso } from '../time';
import type { ZaloEventView } from '../zalo/view';
import type { AnswerBody } from './answers';
import { dayParam, listParams, pathParam, type Caller } from './read-api';

/** The Zalo events stored under a Zalo msg_id (delivery receipt, seen, feedback), oldest first. */
export type ZaloEventsOf = (tenant: string, msgId: string) => Promise<ZaloEventView[]>;
/** The tenant's Zalo msg_ids whose events echoed `requestId` as their `tracking_id`, at most `limit`. */
export type TrackedMsgIds = (tenant: string, requestId: string, limit: number) => Promise<string[]>;

/** A RequestId names a few sends; its Zalo messages are listed up to this many. */
const MAX_TRACKED = 20;

/** The Zalo msg_ids of a message: named by its callbacks' `partnerids`, and echoing its RequestId as `tracking_id`. */
const linkedZalo = (recipients: Array<{ zaloMsgId: string | null }>, tracked: string[], requestId: string | undefined) => {
  const named = [...new Set(recipients.flatMap((recipient) => (recipient.zaloMsgId === null ? [] : [recipient.zaloMsgId])))];
  return [
    ...named.map((msgId) => ({ msgId, via: 'partnerids' as const, requestId: null })),
    ...tracked.filter((msgId) => !named.includes(msgId)).map((msgId) => ({ msgId, via: 'tracking_id' as const, requestId: requestId ?? null })),
  ];
};

/**
 * GET /api/esms/messages/{smsid}?limit=&next=: the message's current state (first page), its recipients
 * with their own status and callback history, and the Zalo events linked to each recipient's msg_id;
 * `zaloMessages` lists the Zalo msg_ids linked by `partnerids` and by the RequestId echoed as `tracking_id`.
 */
export const getEsmsMessage = (store: Pick<EsmsMessageStore, 'readMessagePage' | 'readOverflow'>, zaloEventsOf?: ZaloEventsOf, trackedMsgIds?: TrackedMsgIds) =>
  async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'EsmsMessage'>> => {
    const smsId = pathParam(event, 'smsid', 64);
    const { limit, next } = listParams(event);
    const page = await store.readMessagePage(caller.tenant, smsId, limit, next);
    // A page with nothing on it: an SMSID never stored (a crafted cursor for it included).
    if (page.head === undefined && page.overflow.length === 0) throw new RequestError(404, 'smsid', `no callback stored for SMSID ${smsId}`);
    const state = page.head && currentState(page.head);
    const winner = state?.winner;
    const winnerQuery = winner === undefined || page.head === undefined ? undefined
      : 'q' in winner.entry ? String(winner.entry.q)
        : (await store.readOverflow(caller.tenant, smsId, winner.entry.ph, winner.id, page.head.ow?.sh))?.q;
    const recipients = recipientsView(page.head, page.overflow, page.head?.x !== undefined || state?.status === 'expired', winner?.id, page.next !== undefined);
    const linked = zaloEventsOf
      ? await Promise.all(recipients.map(async (recipient) => ({ ...recipient, zaloEvents: recipient.zaloMsgId === null ? [] : await zaloEventsOf(caller.tenant, recipient.zaloMsgId) })))
      : recipients;
    const requestId = page.head?.requestId;
    const tracked = requestId !== undefined && trackedMsgIds ? await trackedMsgIds(caller.tenant, requestId, MAX_TRACKED) : [];
    return {
      message: { ...(page.head ? messageSummary(page.head, winnerQuery) : { smsId }), zaloMessages: linkedZalo(recipients, tracked, requestId), recipients: linked },
      ...(page.next !== undefined && { next: page.next }),
    };
  };

/** GET /api/rejected?day=YYYY-MM-DD&limit=&next=: the rejected raw requests of one Vietnam-time day, newest first. */
export const listRejected = (store: Pick<RejectedLog, 'listDay'>, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Rejected'>> => {
  const day = dayParam(event, 'day', vietnamDay(now()));
  const { limit, next } = listParams(event);
  const page = await store.listDay(caller.tenant, day, limit, next);
  return {
    day,
    rejected: page.items.map(({ pk: _pk, sk, kind: _kind, tenant: _tenant, ...item }) => ({ id: sk, ...item, receivedAt: vietnamIso(item.receivedAt) })),
    ...(page.next !== undefined && { next: page.next }),
  };
};
