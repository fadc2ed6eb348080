/** What the read API shows of a stored eSMS message: its current state and its callback history. */
import { SEND_STATUS_NAME, TYPE_ID_INFO, telcoName, isFinal, type TypeId } from './channels';
import { decodeErrorInfo } from './error-info';
import { readQuery } from './query';
import { messageStatus } from './state';
import type { StoredEsmsMessage } from './stored';
import type { ZaloEventView } from '../zalo/view';

/** Zalo events stored under each linked Zalo msg_id (`partnerids`). */
export type LinkedZaloEvents = Readonly<Record<string, ZaloEventView[]>>;

const vnd = (priceE4: number): number => priceE4 / 10_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** error_info comes from the stored raw query, decoded with today's decoder. */
const errorInfoOf = (rawQuery: string) => {
  try {
    const value = readQuery(rawQuery).get('error_info')?.value;
    return value ? decodeErrorInfo(value) : undefined;
  } catch {
    return undefined;
  }
};

/** Flags callbacks that arrived on a route their own TypeId does not belong to (each entry knows both). */
const routeFlag = (message: StoredEsmsMessage): string | null => {
  const wrong = message.entries.flatMap(({ entry }) => {
    const typeId = (entry.t ?? message.typeId) as TypeId;
    const belongs = TYPE_ID_INFO[typeId]?.route;
    return belongs && belongs !== entry.rt ? [`received on /${entry.rt}, TypeId ${typeId} belongs to /${belongs}`] : [];
  });
  return wrong.length ? [...new Set(wrong)].join('; ') : null;
};

export const recipientView = (message: StoredEsmsMessage, linked: LinkedZaloEvents = {}) => {
  const current = messageStatus(message);
  const history = [...message.entries]
    .sort((a, b) => a.entry.at - b.entry.at || a.name.localeCompare(b.name))
    .map(({ name, entry }) => ({
      status: entry.s,
      statusName: SEND_STATUS_NAME[entry.s],
      final: isFinal(entry.s),
      receivedAt: iso(entry.at),
      totals: { receivers: entry.n[0], sent: entry.n[1], success: entry.n[2], failed: entry.n[3] },
      price: vnd(entry.p),
      route: entry.rt,
      typeId: entry.t ?? message.typeId,
      winning: name === current?.name,
      query: entry.q,
    }));
  const typeInfo = TYPE_ID_INFO[message.typeId as TypeId];
  return {
    phone: message.phone ?? null,
    status: current?.status ?? null,
    statusName: current ? SEND_STATUS_NAME[current.status] : null,
    final: current?.final ?? false,
    totals: current ? { receivers: current.entry.n[0], sent: current.entry.n[1], success: current.entry.n[2], failed: current.entry.n[3] } : null,
    price: current ? vnd(current.entry.p) : null,
    channel: { typeId: message.typeId, name: typeInfo?.name ?? 'unknown', route: typeInfo?.route ?? null },
    telco: message.telcoId === undefined ? null : { id: message.telcoId, name: telcoName(message.telcoId) },
    oaId: message.oaId ?? null,
    templateId: message.templateId ?? null,
    requestId: message.requestId ?? null,
    errorInfo: current ? errorInfoOf(current.entry.q) ?? null : null,
    zaloMsgId: message.zmsg ?? null,
    zaloEvents: message.zmsg === undefined ? [] : linked[message.zmsg] ?? [],
    routeFlag: routeFlag(message),
    firstSeen: iso(message.firstSeen),
    lastSeen: iso(message.lastSeen),
    history,
  };
};

export const messageView = (smsId: string, recipients: StoredEsmsMessage[], linked: LinkedZaloEvents = {}) => ({
  smsId,
  recipients: recipients.map((recipient) => recipientView(recipient, linked)),
});
