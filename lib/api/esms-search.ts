import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { TypeIdSchema } from '../esms/channels';
import { normalisePhone } from '../esms/phone';
import type { EsmsMessageStore } from '../esms/ports';
import { searchMessages, type DayFilters, type MessageSearch } from '../esms/search';
import { messageSummary } from '../esms/view';
import * as v from 'valibot';
import { columnsOf, csvAnswer, flattenRow, wantsCsv } from './csv';
import { dayParam, listParams, type Caller } from './read-api';

const STATUSES = ['1', '2', '4', '5', '7', 'expired'];
/** The columns a message list's CSV always has, in this order (also when no message matches). */
export const MESSAGE_CSV_COLUMNS = [
  'smsId', 'firstSeen', 'lastSeen', 'status', 'statusName', 'final', 'expiredAt', 'totals.receivers', 'totals.sent', 'totals.success',
  'totals.failed', 'price', 'winningCallback', 'channel.typeId', 'channel.name', 'channel.route', 'telco.id', 'telco.name', 'phone',
  'oaId', 'templateId', 'requestId', 'errorInfo', 'zaloMsgId',
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
  return {
    ...(channel !== undefined && { channel: Number(channel) }), ...(status !== undefined && { status }),
    ...(oa !== undefined && { oa }), ...(template !== undefined && { template }),
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
  if (day === undefined && Object.keys(filters).length > 0) throw new RequestError(400, 'day', 'channel, status, oa and template filter a day: add day=YYYY-MM-DD');
  if (phone !== undefined) {
    const normalised = normalisePhone(phone);
    if (normalised === undefined) throw new RequestError(400, 'phone', 'phone is empty');
    return { by: 'phone', phone: normalised };
  }
  if (requestId !== undefined) return { by: 'requestId', requestId };
  return { by: 'day', day: dayParam(event, 'day', ''), filters };
};

/**
 * GET /api/esms/messages?phone=… | requestId=… | day=YYYY-MM-DD[&channel=&status=&oa=&template=]
 * [&limit=&next=&format=csv]: the tenant's matching messages, newest first.
 */
export const searchEsmsMessages = (store: Pick<EsmsMessageStore, 'headsByPhone' | 'headsByRequestId' | 'headsOfDay'>) =>
  async (event: APIGatewayProxyEventV2, caller: Caller) => {
    const search = searchParams(event);
    const { limit, next } = listParams(event);
    const csv = wantsCsv(event);
    const page = await searchMessages(store, caller.tenant, search, limit, next);
    const messages = page.heads.map((head) => messageSummary(head, undefined));
    if (csv) {
      const rows = messages.map((message) => flattenRow(message));
      return csvAnswer('messages', columnsOf(rows, MESSAGE_CSV_COLUMNS), rows, page.next);
    }
    return { messages, ...(page.next !== undefined && { next: page.next }) };
  };
