/**
 * The events a stream record of the messages table means (docs/destinations.md), as pure functions:
 * - a head whose counted state changed (status, final, expired, totals, price, type, telco) →
 *   `esms.message.updated`, `version` the head's write version (lib/table/esms.ts HEAD_ATTR.writeVersion);
 * - a head whose winner became an inline callback naming a phone with another status or error code than the
 *   winner before → `esms.recipient.updated` (a single-recipient message);
 * - a callback item inserted for a phone (a batch recipient, or a callback the head had no room for) that
 *   beats every item of that phone stored before it, with another status or error code →
 *   `esms.recipient.updated`.
 * Ids are derived from what the record holds (tenant, SMSID, version; or the callback's own id), so a
 * redelivered record makes the same events under the same `webhook-id`. A duplicate callback writes nothing,
 * so it makes no record and no event.
 */
import { createHash } from 'node:crypto';
import { decodeErrorInfo } from '../esms/error-info';
import { SEND_STATUS_NAME, TELCO_NAME, TYPE_ID_INFO, type TelcoId, type TypeId } from '../esms/channels';
import { beats, currentState, type Candidate, type CurrentState } from '../esms/state';
import { KIND } from '../table/names';
import { OverflowItemSchema, readHead, type OverflowItem, type StoredHead } from '../table/esms';
import type { ChangeRecord } from '../aggregate/ports';
import * as v from 'valibot';
import { makeEvent, type PlatformEvent } from './events';

export interface TenantEvent {
  tenant: string;
  event: PlatformEvent;
}

/** `evt_` and 24 base64url characters of a hash of the parts: the same record always makes the same id. */
export const eventId = (...parts: Array<string | number>): string =>
  `evt_${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 24)}`;

const errorCodeOf = (query: string | undefined): number | undefined => {
  if (query === undefined) return undefined;
  const raw = new URLSearchParams(query).get('error_info');
  return raw === null || raw === '' ? undefined : decodeErrorInfo(raw)?.code;
};

const countedKey = (state: CurrentState | undefined): string | undefined => {
  if (!state) return undefined;
  const { s, n, p, t, tc } = state.winner.entry;
  return JSON.stringify([state.status, state.final, s, n, p, t, tc ?? null]);
};

const headOf = (image: Record<string, unknown> | undefined): StoredHead | undefined =>
  (image !== undefined && image.kind === KIND.esms ? readHead(image) : undefined);

/** The `esms.message.updated` of a head's change, if its counted state changed. */
const messageEvent = (oldHead: StoredHead | undefined, head: StoredHead): TenantEvent | undefined => {
  const state = currentState(head);
  if (!state || countedKey(oldHead && currentState(oldHead)) === countedKey(state)) return undefined;
  const { entry } = state.winner;
  const expired = state.status === 'expired';
  const source = expired ? 'sweep' : (entry.src ?? 'callback');
  const version = head.wv ?? 0;
  const at = expired ? head.x! : entry.at;
  const [receivers, sent, success, failed] = entry.n;
  const data = {
    smsId: head.smsId,
    ...(head.requestId !== undefined && { requestId: head.requestId }),
    typeId: entry.t,
    channel: TYPE_ID_INFO[entry.t as TypeId]?.route ?? head.route,
    status: expired ? 'expired' : entry.s,
    statusName: expired ? 'expired' : SEND_STATUS_NAME[entry.s],
    final: state.final,
    expired,
    totals: { receivers, sent, success, failed },
    price: entry.p / 10_000,
    ...(entry.tc !== undefined && { telco: TELCO_NAME[entry.tc as TelcoId] ?? entry.tc }),
    ...(head.oaId !== undefined && { oaId: head.oaId }),
    ...(head.templateId !== undefined && { templateId: head.templateId }),
    source,
    version,
  };
  return { tenant: head.tenant, event: makeEvent(eventId(head.tenant, head.smsId, 'message', version), 'esms.message.updated', at, data) };
};

const recipientData = (smsId: string, phone: string, status: number, errorCode: number | undefined) =>
  ({ smsId, phone, status, statusName: SEND_STATUS_NAME[status as keyof typeof SEND_STATUS_NAME], ...(errorCode !== undefined && { errorCode }) });

/** A single-recipient message's head: a recipient event when an inline winner naming a phone changed its status or error code. */
const inlineRecipientEvent = (oldHead: StoredHead | undefined, head: StoredHead): TenantEvent | undefined => {
  const state = currentState(head);
  if (!state) return undefined;
  const inline = head.inline.find((entry) => entry.id === state.winner.id);
  const phone = inline?.entry.ph ?? head.phone;
  if (!inline || phone === undefined) return undefined;
  const before = oldHead && currentState(oldHead);
  if (before?.winner.id === inline.id) return undefined;
  const code = errorCodeOf(inline.entry.q);
  const beforeInline = before && oldHead!.inline.find((entry) => entry.id === before.winner.id);
  if (before && beforeInline && before.winner.entry.s === inline.entry.s && errorCodeOf(beforeInline.entry.q) === code) return undefined;
  return {
    tenant: head.tenant,
    event: makeEvent(eventId(head.tenant, head.smsId, 'recipient', inline.id), 'esms.recipient.updated', inline.entry.at, recipientData(head.smsId, phone, inline.entry.s, code)),
  };
};

const ZALO_ROUTES: ReadonlySet<string> = new Set(['zns', 'zalo', 'journey']);
const failedState = (head: StoredHead | undefined): boolean => {
  const state = head && currentState(head);
  if (!state?.final || state.status === 'expired') return false;
  const [, , success, failed] = state.winner.entry.n;
  return state.winner.entry.s === 4 || (failed > 0 && success === 0);
};

/**
 * A Zalo-channel message (ZNS, Zalo UID, Journey) whose head carries its Zalo msg_id and has just ended failed:
 * `zalo.message.status` `failed` (Zalo's webhooks report no failure; eSMS's callback does). Once per message:
 * only the write that makes it failed (the head before was not).
 */
const zaloFailedEvent = (oldHead: StoredHead | undefined, head: StoredHead): TenantEvent | undefined => {
  if (head.zmsg === undefined || !ZALO_ROUTES.has(head.route) || !failedState(head) || failedState(oldHead)) return undefined;
  const { winner } = currentState(head)!;
  const { entry } = winner;
  const inline = head.inline.find((candidate) => candidate.id === winner.id);
  const errorCode = errorCodeOf(inline?.entry.q);
  const data = {
    ...(head.oaId !== undefined && { oaId: head.oaId }),
    msgId: head.zmsg, smsIds: [head.smsId], smsId: head.smsId, status: 'failed', channel: head.route === 'zalo' ? 'oa' : 'zns',
    ...(head.phone !== undefined && { phone: head.phone }), ...(errorCode !== undefined && { errorCode }), source: entry.src ?? 'callback',
  };
  return { tenant: head.tenant, event: makeEvent(eventId(head.tenant, 'zalo', head.smsId, 'failed', head.zmsg), 'zalo.message.status', entry.at, data) };
};

/** The events a head record makes (message, a single recipient's, a Zalo message's failure). */
export const headEvents = (change: ChangeRecord): TenantEvent[] => {
  const head = headOf(change.newImage);
  if (!head) return [];
  const oldHead = headOf(change.oldImage);
  return [messageEvent(oldHead, head), inlineRecipientEvent(oldHead, head), zaloFailedEvent(oldHead, head)].filter((event): event is TenantEvent => event !== undefined);
};

/** A callback item inserted for a phone: the recipient it may change (its earlier items are read to tell). */
export const insertedRecipientItem = (change: ChangeRecord): OverflowItem | undefined => {
  if (change.oldImage !== undefined || change.newImage?.kind !== KIND.esmsCallback) return undefined;
  const item = v.parse(OverflowItemSchema, change.newImage);
  return item.ph !== undefined && item.ph !== '' ? item : undefined;
};

/**
 * The recipient event of an inserted item, given every item of that phone (itself among them or not): it
 * must beat every item stored before it, and differ from the best of them in status or error code.
 */
export const recipientItemEvent = (item: OverflowItem, phoneItems: readonly OverflowItem[]): TenantEvent | undefined => {
  const candidate: Candidate = { id: item.id, entry: item };
  const earlier = phoneItems.filter((other) => other.id !== item.id && (other.at < item.at || (other.at === item.at && other.id < item.id)));
  let best: OverflowItem | undefined;
  for (const other of earlier) {
    if (!beats(candidate, { id: other.id, entry: other })) return undefined;
    if (best === undefined || beats({ id: other.id, entry: other }, { id: best.id, entry: best })) best = other;
  }
  const code = errorCodeOf(item.q);
  if (best && best.s === item.s && errorCodeOf(best.q) === code) return undefined;
  return {
    tenant: item.tenant,
    event: makeEvent(eventId(item.tenant, item.smsId, 'recipient', item.ph!, item.id), 'esms.recipient.updated', item.at, recipientData(item.smsId, item.ph!, item.s, code)),
  };
};
