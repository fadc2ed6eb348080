/** What the read API shows of a stored eSMS message: its current state, its recipients and their callback history. */
import type { InlineCallback, OverflowItem, StoredHead } from '../table/esms';
import { vietnamIso } from '../time';
import { SEND_STATUS_NAME, TYPE_ID_INFO, isFinal, telcoName, type TypeId } from './channels';
import { decodeErrorInfo, type ErrorInfo } from './error-info';
import { outcomeOf, reasonOf } from './outcome';
import { readQuery } from './query';
import { currentState, winnerOf, type Candidate } from './state';

const vnd = (priceE4: number): number => priceE4 / 10_000;

/**
 * What the view reads from a stored raw query, decoded once with today's decoder: `error_info`, and the
 * Zalo msg id the callback names (`partnerids`, or the message_id inside `error_info`).
 */
const decodeStored = (rawQuery: string | undefined): { errorInfo?: ReturnType<typeof decodeErrorInfo>; zmsg?: string } => {
  if (rawQuery === undefined) return {};
  try {
    const params = readQuery(rawQuery);
    const value = params.get('error_info')?.value;
    const errorInfo = value ? decodeErrorInfo(value) : undefined;
    const zmsg = params.get('partnerids')?.value || errorInfo?.zaloMsgId;
    return { ...(errorInfo && { errorInfo }), ...(zmsg && { zmsg }) };
  } catch {
    return {};
  }
};

/**
 * The decoded error of a callback, described from the one catalogue (lib/error-catalogue.ts): `{code,
 * message, description: {vi, en}}`, or null when its `error_info` carries no code.
 */
export const errorOf = (errorInfo: ErrorInfo | undefined) => {
  if (errorInfo?.code === undefined) return null;
  const { vi, en } = reasonOf(errorInfo.code, errorInfo.message);
  return { code: errorInfo.code, message: errorInfo.message ?? null, description: { vi, en } };
};

const totalsOf = (n: readonly [number, number, number, number]) => ({ receivers: n[0], sent: n[1], success: n[2], failed: n[3] });

const statusName = (status: number | 'expired'): string => (status === 'expired' ? 'expired' : SEND_STATUS_NAME[status as keyof typeof SEND_STATUS_NAME]);

type Stored = Candidate<InlineCallback> & ReturnType<typeof decodeStored>;

const historyEntry = ({ id, entry, errorInfo }: Stored, winningId: string | undefined) => {
  const typeId = entry.t as TypeId;
  const belongs = TYPE_ID_INFO[typeId]?.route;
  return {
    id,
    status: entry.s,
    statusName: statusName(entry.s),
    final: isFinal(entry.s),
    receivedAt: vietnamIso(entry.at),
    source: entry.src ?? 'callback',
    totals: totalsOf(entry.n),
    price: vnd(entry.p),
    route: entry.rt,
    typeId,
    ...(belongs && belongs !== entry.rt && { routeFlag: `received on /${entry.rt}, TypeId ${typeId} belongs to /${belongs}` }),
    winning: id === winningId,
    errorInfo: errorInfo ?? null,
    error: errorOf(errorInfo),
    ...outcomeOf({ status: entry.s, final: isFinal(entry.s), counts: entry.n, errorInfo, batchRecipient: entry.ph !== undefined && entry.n[0] > 1 }),
    query: entry.q,
  };
};

/** One recipient's callbacks (in receive order) and its own status, ranked by the message's rule. */
const recipientView = (phone: string, callbacks: Stored[], expired: boolean, winningId: string | undefined) => {
  const own = winnerOf(callbacks);
  const status = own && !isFinal(own.entry.s) && expired ? 'expired' as const : own?.entry.s ?? null;
  const zmsg = own?.zmsg ?? callbacks.map((callback) => callback.zmsg).find((id) => id !== undefined);
  const history = [...callbacks].sort((a, b) => a.entry.at - b.entry.at || a.id.localeCompare(b.id)).map((callback) => historyEntry(callback, winningId));
  const typeId = own?.entry.t as TypeId | undefined;
  const flags = [...new Set(history.flatMap((entry) => (entry.routeFlag ? [entry.routeFlag] : [])))];
  return {
    phone: phone === '-' ? null : phone,
    status,
    statusName: status === null ? null : statusName(status),
    final: own ? isFinal(own.entry.s) : false,
    /** The totals its own winning callback carried: a batch's per-phone callbacks carry the batch's totals. */
    totals: own ? totalsOf(own.entry.n) : null,
    price: own ? vnd(own.entry.p) : null,
    channel: typeId === undefined ? null : { typeId, name: TYPE_ID_INFO[typeId]?.name ?? 'unknown', route: TYPE_ID_INFO[typeId]?.route ?? null },
    telco: own?.entry.tc === undefined ? null : { id: own.entry.tc, name: telcoName(own.entry.tc) },
    errorInfo: own?.errorInfo ?? null,
    error: errorOf(own?.errorInfo),
    ...(own && status !== null
      ? outcomeOf({ status, final: isFinal(own.entry.s), counts: own.entry.n, errorInfo: own.errorInfo, batchRecipient: phone !== '-' && own.entry.n[0] > 1 })
      : { outcome: null, outcomeReason: null }),
    zaloMsgId: zmsg ?? null,
    routeFlag: flags.length ? flags.join('; ') : null,
    firstSeen: history.length ? history[0]!.receivedAt : null,
    lastSeen: history.length ? history.at(-1)!.receivedAt : null,
    history,
  };
};

/** Groups callbacks by recipient, keeping the order in which recipients first appear. */
const byRecipient = (callbacks: Stored[]): Map<string, Stored[]> => {
  const groups = new Map<string, Stored[]>();
  for (const callback of callbacks) {
    const phone = callback.entry.ph ?? '-';
    groups.set(phone, [...(groups.get(phone) ?? []), callback]);
  }
  return groups;
};

/** The message's header: present on the first page, from its head. */
export const messageSummary = (head: StoredHead, winnerQuery: string | undefined) => {
  const state = currentState(head);
  const winner = state?.winner.entry;
  const typeId = (winner?.t ?? head.typeId) as TypeId;
  const typeInfo = TYPE_ID_INFO[typeId];
  const telco = winner?.tc ?? head.telcoId;
  const errorInfo = decodeStored(winnerQuery).errorInfo;
  return {
    smsId: head.smsId,
    status: state?.status ?? null,
    statusName: state ? statusName(state.status) : null,
    final: state?.final ?? false,
    expiredAt: head.x === undefined ? null : vietnamIso(head.x),
    totals: winner ? totalsOf(winner.n) : null,
    price: winner ? vnd(winner.p) : null,
    winningCallback: state?.winner.id ?? null,
    channel: { typeId, name: typeInfo?.name ?? 'unknown', route: typeInfo?.route ?? null },
    telco: telco === undefined ? null : { id: telco, name: telcoName(telco) },
    phone: head.phone ?? null,
    oaId: head.oaId ?? null,
    templateId: head.templateId ?? null,
    requestId: head.requestId ?? null,
    errorInfo: errorInfo ?? null,
    error: errorOf(errorInfo),
    ...(state && winner ? outcomeOf({ status: state.status, final: state.final, counts: winner.n, errorInfo }) : { outcome: null, outcomeReason: null }),
    zaloMsgId: head.zmsg ?? null,
    firstSeen: vietnamIso(head.firstSeen),
    lastSeen: vietnamIso(head.lastSeen),
  };
};

/**
 * The recipients on one page: the head's inline callbacks (first page) and a page of overflow callbacks.
 * A recipient whose callbacks continue on the next page is marked `continued`.
 */
export const recipientsView = (head: StoredHead | undefined, overflow: OverflowItem[], expired: boolean, winningId: string | undefined, more: boolean) => {
  const inline: Stored[] = (head?.inline ?? []).map(({ id, entry }) => ({ id, entry, ...decodeStored(entry.q) }));
  const spilled: Stored[] = overflow.map(({ id, zmsg: _zmsg, pk: _pk, sk: _sk, kind: _kind, tenant: _tenant, smsId: _smsId, ...entry }) => ({ id, entry, ...decodeStored(entry.q) }));
  const groups = [...byRecipient([...inline, ...spilled])];
  const lastPhone = overflow.at(-1)?.ph ?? (overflow.length > 0 ? '-' : undefined);
  return groups.map(([phone, callbacks]) => ({
    ...recipientView(phone, callbacks, expired, winningId),
    ...(more && phone === lastPhone && { continued: true }),
  }));
};
