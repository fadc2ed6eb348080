import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { messageView } from '../esms/view';
import { vietnamDay } from '../time';
import { RequestError } from '../http/errors';
import type { EsmsStore } from '../store/esms-messages';
import type { RejectedStore } from '../store/rejected';
import type { ZaloEventStore } from '../store/zalo-events';
import { byEventTime, zaloEventView } from '../zalo/view';
import { dayParam, pathParam } from './read-api';

/**
 * GET /api/esms/messages/{smsid}: current state per recipient, the full callback history and the Zalo
 * events (delivery receipt, seen, feedback) stored under each recipient's Zalo msg_id.
 */
export const getEsmsMessage = (store: Pick<EsmsStore, 'getMessage'>, zalo?: Pick<ZaloEventStore, 'eventsOfMessage'>) =>
  async (event: APIGatewayProxyEventV2) => {
    const smsId = pathParam(event, 'smsid');
    const recipients = await store.getMessage(smsId);
    if (recipients.length === 0) throw new RequestError(404, 'smsid', `no callback stored for SMSID ${smsId}`);
    const msgIds = [...new Set(recipients.flatMap((recipient) => (recipient.zmsg === undefined ? [] : [recipient.zmsg])))];
    const linked = zalo
      ? Object.fromEntries(await Promise.all(msgIds.map(async (msgId) =>
          [msgId, (await zalo.eventsOfMessage(msgId)).sort(byEventTime).map(zaloEventView)] as const)))
      : {};
    return { message: messageView(smsId, recipients, linked) };
  };

/** GET /api/rejected?day=YYYY-MM-DD&limit=N: the rejected raw requests of one Vietnam-time day, newest first. */
export const listRejected = (store: Pick<RejectedStore, 'listDay'>, now: () => number) => async (event: APIGatewayProxyEventV2) => {
  const day = dayParam(event, 'day', vietnamDay(now()));
  const limitText = event.queryStringParameters?.limit ?? '100';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RequestError(400, 'limit', 'limit must be an integer from 1 to 1000');
  const items = await store.listDay(day, limit);
  return {
    day,
    rejected: items.map(({ pk: _pk, sk, kind: _kind, ...item }) => ({ id: sk, ...item, receivedAt: new Date(item.receivedAt).toISOString() })),
  };
};
