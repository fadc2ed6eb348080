/**
 * HTTP adapter for eSMS's pull APIs (docs/protocols.md §3), implementing the reconcile domain's
 * `EsmsPullApi` port with global `fetch`. `baseUrl` replaces https://rest.esms.vn (ESMS_API_BASE_URL),
 * `statusBaseUrl` https://status-sms.esms.vn (ESMS_STATUS_API_BASE_URL). All methods share one rate
 * limit of `tps` calls per second; see `transport.ts` for retries and result codes.
 */
import { MalformedAnswerError } from '../errors';
import type { EsmsAccount, EsmsPullApi, PullResult } from '../reconcile/ports';
import type { JsonObject } from './lenient-json';
import { callbackRows, checkSmsId, receiverRows, sentDataPage, toQuery, totalsOf } from './map';
import { field, isObject, text } from './read';
import { buildTransport, scrub, type Request } from './transport';

export interface EsmsPullApiOptions {
  baseUrl: string;
  statusBaseUrl: string;
  /** Calls per second across all methods (GetCallback's documented limit is 20). */
  tps?: number;
  timeoutMs?: number;
  /** Retries after the first attempt for 160, HTTP 5xx/429, network errors and time-outs. */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
}

export const GET_CALLBACK_MAX_IDS = 200;
export const SENT_DATA_MAX_PAGE_SIZE = 500;

const VN_OFFSET_MS = 7 * 3600_000;
/** `yyyy-MM-dd HH:mm:ss` in Vietnam time (UTC+7, no daylight saving). */
export const vietnamTime = (date: Date): string => {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
  return new Date(date.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
};

const trimSlash = (url: string): string => url.replace(/\/+$/, '');
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const buildEsmsPullApi = (options: EsmsPullApiOptions): EsmsPullApi => {
  const rest = `${trimSlash(options.baseUrl)}/MainService.svc/json`;
  const status = trimSlash(options.statusBaseUrl);
  const send = buildTransport({
    tps: options.tps ?? 20,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 4,
    backoffBaseMs: options.backoffBaseMs ?? 250,
    backoffMaxMs: options.backoffMaxMs ?? 8_000,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
  });

  /** Sends, then maps a code-100 answer; a mapping failure is a `failed` result, never a throw. */
  const call = async <T>(request: Request, map: (body: JsonObject) => PullResult<T>): Promise<PullResult<T>> => {
    const answer = await send(request);
    if (answer.kind !== 'ok') return answer;
    try {
      return map(answer.body);
    } catch (error) {
      if (!(error instanceof MalformedAnswerError)) throw error;
      return { kind: 'failed', code: 'malformed', message: scrub(`${request.name}: ${error.message}`, request.secrets) };
    }
  };
  const secrets = (account: EsmsAccount) => [account.apiKey, account.secretKey];
  const get = (name: string, account: EsmsAccount, smsId: string): Request => ({
    name,
    url: `${rest}/${name}?${new URLSearchParams({ RefId: smsId, ApiKey: account.apiKey, SecretKey: account.secretKey })}`,
    secrets: secrets(account),
  });
  const post = (name: string, url: string, account: EsmsAccount, body: Record<string, unknown>): Request => ({
    name,
    url,
    body: { ApiKey: account.apiKey, SecretKey: account.secretKey, ...body },
    secrets: secrets(account),
  });
  const ok = <T>(value: T): PullResult<T> => ({ kind: 'ok', value });

  return {
    sendStatus: (account, smsId, typeId) =>
      call(get('GetSendStatus', account, smsId), (body) => {
        checkSmsId(body, smsId);
        const totals = totalsOf(body);
        if (totals.sendStatus === 0) return { kind: 'not-yet', code: 'drafting' };
        return ok(toQuery([['SMSID', smsId], ...totals.pairs, ['TypeId', typeId]]));
      }),

    receiverStatus: (account, smsId) => call(get('GetSmsReceiverStatus_get', account, smsId), (body) => ok(receiverRows(body))),

    async sentData(account, smsType, from, to, page, pageSize) {
      if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be an integer ≥ 1; received ${page}`);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SENT_DATA_MAX_PAGE_SIZE) {
        throw new RangeError(`pageSize must be an integer from 1 to ${SENT_DATA_MAX_PAGE_SIZE}; received ${pageSize}`);
      }
      const body = { SmsType: String(smsType), From: vietnamTime(from), To: vietnamTime(to), Page: page, PageSize: pageSize };
      return call(post('GetSmsSentData_V2', `${rest}/GetSmsSentData_V2/`, account, body), (answer) => ok(sentDataPage(answer, smsType)));
    },

    async getCallback(account, smsIds, oaId) {
      if (smsIds.length > GET_CALLBACK_MAX_IDS) {
        throw new RangeError(`GetCallback takes at most ${GET_CALLBACK_MAX_IDS} SMSIDs per call; received ${smsIds.length}`);
      }
      if (smsIds.length === 0) return ok([]);
      const body = { ListRefid: smsIds, ...(oaId !== undefined && { OAId: oaId }) };
      return call(post('GetCallback', `${status}/ZaloCallback/GetCallback`, account, body), (answer) => ok(callbackRows(answer)));
    },

    queryZnsStatus: (account, smsId, smsType) =>
      call(post('QueryZnsStatus', `${rest}/QueryZnsStatus/`, account, { SmsId: smsId, SmsType: String(smsType) }), (body) => {
        const data = field(body, 'Data');
        if (!isObject(data)) throw new MalformedAnswerError('Data is missing or not an object');
        checkSmsId(data, smsId);
        const totals = totalsOf(data);
        if (totals.sendStatus === 0) return { kind: 'not-yet', code: 'drafting' };
        const zaloMsgId = text(data, 'ZaloMsgId') || undefined;
        const errorInfo = text(data, 'ErrorInfo') || undefined;
        const query = toQuery([['SMSID', smsId], ...totals.pairs, ['TypeId', smsType], ['partnerids', zaloMsgId], ['error_info', errorInfo]]);
        return ok({ query, final: text(data, 'FinalStatus') === '1', ...(zaloMsgId && { zaloMsgId }) });
      }),
  };
};

export type { EsmsAccount, EsmsPullApi, PullResult, SentDataRow } from '../reconcile/ports';
