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

/**
 * GET /api/esms/messages/{smsid}?limit=&next=: the message's current state (first page), its recipients
 * with their own status and callback history, and the Zalo events linked to each recipient's msg_id.
 */
export const getEsmsMessage = (store: Pick<EsmsMessageStore, 'readMessagePage' | 'readOverflow'>, zaloEventsOf?: ZaloEventsOf) =>
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
    return {
      message: { ...(page.head ? messageSummary(page.head, winnerQuery) : { smsId }), recipients: linked },
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
