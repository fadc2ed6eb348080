import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { TYPE_ID_INFO, TypeIdSchema, type TypeId } from '../esms/channels';
import { OUTCOMES } from '../esms/outcome';
import { normalisePhone } from '../esms/phone';
import type { EsmsMessageStore } from '../esms/ports';
import { searchMessages, type DayFilters, type MessageSearch } from '../esms/search';
import { currentState } from '../esms/state';
import { messageSummary } from '../esms/view';
import type { StoredHead } from '../table/esms';
import * as v from 'valibot';
import type { AnswerBody } from './answers';
import type { RawAnswer } from './csv';
import { columnsOf, csvAnswer, flattenRow, wantsCsv } from './csv';
import { dayParam, listParams, type Caller } from './read-api';

const STATUSES = ['1', '2', '4', '5', '7', 'expired'];
/** The columns a message list's CSV always has, in this order (also when no message matches). */
export const MESSAGE_CSV_COLUMNS = [
  'smsId', 'firstSeen', 'lastSeen', 'status', 'statusName', 'final', 'expiredAt', 'totals.receivers', 'totals.sent', 'totals.success',
  'totals.failed', 'price', 'winningCallback', 'channel.typeId', 'channel.name', 'channel.route', 'telco.id', 'telco.name', 'phone',
  'oaId', 'templateId', 'requestId', 'errorInfo', 'zaloMsgId',
  // Issue 23: the decoded error and the outcome, after the columns a partner's spreadsheet already reads.
  'errorCode', 'errorMessage', 'errorInfoVi', 'outcome', 'outcomeReason', 'outcomeReasonVi',
] as const;

const text = (event: APIGatewayProxyEventV2, name: string, max: number): string | undefined => {
  const value = event.queryStringParameters?.[name];
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw new RequestError(400, name, `${name} is longer than ${max} characters`);
  return value;
};

const dayFilters = (event: APIGatewayProxyEventV2): DayFilters => {
  const channel = text(event, 'channel', 8);
  if (channel !== undefined && !v.is(TypeIdSchema, Number(channel))) {
    throw new RequestError(400, 'channel', `channel is a TypeId, one of ${TypeIdSchema.options.join(', ')}`);
  }
  const status = text(event, 'status', 16);
  if (status !== undefined && !STATUSES.includes(status)) throw new RequestError(400, 'status', `status must be one of ${STATUSES.join(', ')}`);
  const oa = text(event, 'oa', 64);
  const template = text(event, 'template', 64);
  const outcome = text(event, 'outcome', 16);
  if (outcome !== undefined && !(OUTCOMES as readonly string[]).includes(outcome)) throw new RequestError(400, 'outcome', `outcome must be one of ${OUTCOMES.join(', ')}`);
  return {
    ...(channel !== undefined && { channel: Number(channel) }), ...(status !== undefined && { status }),
    ...(oa !== undefined && { oa }), ...(template !== undefined && { template }),
    ...(outcome !== undefined && { outcome: outcome as (typeof OUTCOMES)[number] }),
  };
};

/** Exactly one of phone, requestId or day says what is searched; filters go with a day only. */
export const searchParams = (event: APIGatewayProxyEventV2): MessageSearch => {
  const phone = text(event, 'phone', 64);
  const requestId = text(event, 'requestId', 64);
  const day = text(event, 'day', 10);
  const given = [phone, requestId, day].filter((value) => value !== undefined).length;
  if (given !== 1) throw new RequestError(400, 'phone', 'give exactly one of phone, requestId or day');
  const filters = dayFilters(event);
  if (day === undefined && Object.keys(filters).length > 0) throw new RequestError(400, 'day', 'channel, status, outcome, oa and template filter a day: add day=YYYY-MM-DD');
  if (phone !== undefined) {
    const normalised = normalisePhone(phone);
    if (normalised === undefined) throw new RequestError(400, 'phone', 'phone is empty');
    return { by: 'phone', phone: normalised };
  }
  if (requestId !== undefined) return { by: 'requestId', requestId };
  return { by: 'day', day: dayParam(event, 'day', ''), filters };
};

type SearchStore = Pick<EsmsMessageStore, 'headsByPhone' | 'headsByRequestId' | 'headsOfDay' | 'readOverflow'>;

/** Zalo types carry `error_info`; only they need their winning callback's raw query. */
const carriesErrorInfo = (typeId: number): boolean => TYPE_ID_INFO[typeId as TypeId]?.route !== undefined
  && ['zns', 'zalo', 'journey'].includes(TYPE_ID_INFO[typeId as TypeId].route);

/**
 * The winning callback's raw query, for its `error_info`: held in the head when the winner is inline; an
 * overflow winner in the message's own partition is read (one GetItem), for Zalo types only, since other
 * types carry none. A sharded batch's winner is not read (a Zalo send names one recipient, so such batches
 * are SMS campaigns): its outcome comes from its counts.
 */
const winnerQueryOf = async (store: SearchStore, tenant: string, head: StoredHead): Promise<string | undefined> => {
  const winner = currentState(head)?.winner;
  if (winner === undefined) return undefined;
  if ('q' in winner.entry) return String(winner.entry.q);
  if (!carriesErrorInfo(winner.entry.t) || (head.ow?.sh ?? 1) !== 1) return undefined;
  return (await store.readOverflow(tenant, head.smsId, winner.entry.ph, winner.id, head.ow?.sh))?.q;
};

type Summary = ReturnType<typeof messageSummary>;

/**
 * A message as one CSV row: nested fields become dotted columns, except the decoded error and the outcome:
 * `errorInfo` holds the code's description (English; `errorInfoVi` Vietnamese), `errorCode` and
 * `errorMessage` the code and the provider's own words, `outcomeReason(Vi)` why it failed.
 */
export const messageCsvRow = ({ errorInfo: _errorInfo, error, outcomeReason, ...message }: Summary): Record<string, unknown> => ({
  ...flattenRow(message),
  errorInfo: error?.description.en ?? null,
  errorInfoVi: error?.description.vi ?? null,
  errorCode: error?.code ?? null,
  errorMessage: error?.message ?? null,
  outcomeReason: outcomeReason?.en ?? null,
  outcomeReasonVi: outcomeReason?.vi ?? null,
});

/**
 * GET /api/esms/messages?phone=… | requestId=… | day=YYYY-MM-DD[&channel=&status=&outcome=&oa=&template=]
 * [&limit=&next=&format=csv]: the tenant's matching messages, newest first, each with its decoded error
 * and outcome.
 */
export const searchEsmsMessages = (store: SearchStore) =>
  async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'EsmsSearch'> | RawAnswer> => {
    const search = searchParams(event);
    const { limit, next } = listParams(event);
    const csv = wantsCsv(event);
    const page = await searchMessages(store, caller.tenant, search, limit, next);
    const messages = await Promise.all(page.heads.map(async (head) => messageSummary(head, await winnerQueryOf(store, caller.tenant, head))));
    if (csv) {
      const rows = messages.map(messageCsvRow);
      return csvAnswer('messages', columnsOf(rows, MESSAGE_CSV_COLUMNS), rows, page.next);
    }
    return { messages, ...(page.next !== undefined && { next: page.next }) };
  };
