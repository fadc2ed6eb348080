/**
 * The suppressions routes (tenant key; the admin key with `tenant=`): the subjects whose latest outcome says
 * a new Zalo send will fail (lib/suppressions/derive.ts), one of them, and clearing one by hand.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { normalisePhone } from '../esms/phone';
import type { SuppressionStore } from '../suppressions/ports';
import type { SuppressionItem } from '../table/suppressions';
import { vietnamIso } from '../time';
import { csvAnswer, wantsCsv } from './csv';
import { listParams, pathParam, type Caller } from './read-api';

/** What a suppression shows: never its keys, its order or its tombstone's expiry. */
export const suppressionView = (item: SuppressionItem) => ({
  phone: item.subject,
  type: item.subjectType,
  reason: item.reason ?? null,
  reasonVi: item.reasonVi ?? null,
  code: item.code ?? null,
  since: vietnamIso(item.at),
  source: item.source,
  smsId: item.smsId ?? null,
  msgId: item.msgId ?? null,
  oaId: item.oaId ?? null,
  event: item.event ?? null,
});

const COLUMNS = ['phone', 'type', 'reason', 'reasonVi', 'code', 'since', 'source', 'smsId', 'msgId', 'oaId', 'event'] as const;

/** A phone in any spelling (normalised as the index is), or a Zalo user id: digits only once normalised. */
export const subjectParam = (event: APIGatewayProxyEventV2): string => {
  let text: string;
  try {
    text = decodeURIComponent(pathParam(event, 'phone', 96));
  } catch {
    throw new RequestError(400, 'phone', 'phone is not valid percent-encoding');
  }
  const subject = normalisePhone(text);
  if (subject === undefined || !/^\d{6,32}$/.test(subject)) throw new RequestError(400, 'phone', 'phone must be a phone number (any spelling) or a Zalo user id');
  return subject;
};

export const listSuppressions = (store: Pick<SuppressionStore, 'list'>) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const csv = wantsCsv(event);
  const { limit, next } = listParams(event);
  const page = await store.list(caller.tenant, limit, next);
  const rows = page.items.map(suppressionView);
  if (csv) return csvAnswer(`suppressions-${caller.tenant}`, COLUMNS, rows, page.next);
  return { suppressions: rows, ...(page.next !== undefined && { next: page.next }) };
};

export const getSuppression = (store: Pick<SuppressionStore, 'get'>) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const item = await store.get(caller.tenant, subjectParam(event));
  if (!item?.suppressed) throw new RequestError(404, 'phone', 'this phone (or Zalo user id) is not suppressed');
  return { suppression: suppressionView(item) };
};

/** Clears one by hand: a later suppressing outcome (newer than now) suppresses it again. */
export const clearSuppression = (store: Pick<SuppressionStore, 'clear'>, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const cleared = await store.clear(caller.tenant, subjectParam(event), now());
  if (!cleared) throw new RequestError(404, 'phone', 'this phone (or Zalo user id) is not suppressed');
  return { cleared: true };
};
