/** Builds stored eSMS items (as the ingest adapter writes them) for aggregator tests. */
import { parseCallbackWithIdentity } from '../../lib/esms/parse';
import { entryName, esmsKey } from '../../lib/esms/stored';

export const storedItem = (queries: Array<{ query: string; at: number }>, route = 'sms'): Record<string, unknown> => {
  const first = parseCallbackWithIdentity(queries[0]!.query).event;
  const item: Record<string, unknown> = {
    ...esmsKey(first.smsId, first.phone),
    kind: 'esms', smsId: first.smsId, typeId: first.typeId, route,
    firstSeen: queries[0]!.at, lastSeen: queries.at(-1)!.at, ver: queries.length,
    ...(first.phone ? { phone: first.phone } : {}),
    ...(first.telcoId !== undefined ? { telcoId: first.telcoId } : {}),
    ...(first.oaId ? { oaId: first.oaId } : {}),
    ...(first.templateId ? { templateId: first.templateId } : {}),
  };
  for (const { query, at } of queries) {
    const { event, canonical } = parseCallbackWithIdentity(query);
    item[entryName(event.sendStatus, canonical)] = {
      s: event.sendStatus, t: event.typeId, n: [event.totalReceiver, event.totalSent, event.sendSuccess, event.sendFailed], p: event.priceE4, at, q: query, rt: route,
    };
  }
  return item;
};

/** A callback query for a synthetic message. */
export const callbackQuery = (m: { smsId: string; status: number; typeId?: number; receivers?: number; sent?: number; success?: number; failed?: number; price?: string; telco?: number; phone?: string }): string =>
  [
    `SMSID=${m.smsId}`, `SendFailed=${m.failed ?? 0}`, `SendStatus=${m.status}`, `SendSuccess=${m.success ?? 0}`,
    `TotalPrice=${m.price ?? '0.0000'}`, `TotalReceiver=${m.receivers ?? 1}`, `TotalSent=${m.sent ?? 0}`, 'RequestId=',
    `TypeId=${m.typeId ?? 2}`, ...(m.telco ? [`telcoid=${m.telco}`] : []), ...(m.phone ? [`phonenumber=${m.phone}`] : []),
  ].join('&');
