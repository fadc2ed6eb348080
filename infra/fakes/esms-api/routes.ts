/**
 * The fake's endpoints, answering in the shapes of docs/protocols.md §3 and the eSMS docs' samples:
 * `CodeResponse` on GetSendStatus, `CodeResult` elsewhere, a numeric `Code` on GetCallback; decimals as
 * .NET number literals; `SentTime` as `/Date(<ms>+0700)/`. Unknown and too-young SMSIDs answer 105
 * (GetCallback leaves them out, and answers 854 when nothing is left).
 */
import { dotnetJson, fromE4, raw, toE4 } from './json';
import type { FakeMessage, Truth } from './truth';

export const ENDPOINTS = ['GetSendStatus', 'GetSmsReceiverStatus_get', 'GetSmsSentData_V2', 'QueryZnsStatus', 'GetCallback'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface RouteContext {
  truth: Truth;
  now: () => number;
  notYetMs: number;
  /** Render GetSmsSentData_V2 in the doc sample's broken shape. */
  docSample: boolean;
}

const SEVEN_DAYS_MS = 7 * 24 * 3600_000;
const VN_OFFSET_MS = 7 * 3600_000;
const ZALO_TYPES = new Set([24, 25, 26, 27]);
const NETWORK: Record<number, string> = { 1: 'Viettel', 2: 'Mobifone', 3: 'Vinaphone', 4: 'Vietnamobile', 5: 'Gmobile', 6: 'Itel', 7: 'Reddi' };

/** The answer carrying only a result code, in each endpoint's own spelling. */
export const codeOnly = (endpoint: Endpoint, code: number, message?: string): string => {
  if (endpoint === 'GetCallback') return dotnetJson({ Code: code, Message: message ?? '' });
  const name = endpoint === 'GetSendStatus' ? 'CodeResponse' : 'CodeResult';
  return dotnetJson({ [name]: String(code), ...(message !== undefined && { ErrorMessage: message }) });
};

const visible = (ctx: RouteContext, smsId: unknown, window = Infinity): FakeMessage | undefined => {
  const message = typeof smsId === 'string' ? ctx.truth.get(smsId) : undefined;
  if (message === undefined) return undefined;
  const age = ctx.now() - message.sentTimeMs;
  return age < ctx.notYetMs || age > window ? undefined : message;
};

const totals = (m: FakeMessage) => ({
  SendFailed: m.sendFailed, SendStatus: m.sendStatus, SendSuccess: m.sendSuccess,
  TotalPrice: raw(m.totalPrice), TotalReceiver: m.totalReceiver, TotalSent: m.totalSent,
});

/** Per recipient: the first `sendSuccess` phones of a finished message succeeded. */
const succeeded = (m: FakeMessage, index: number): boolean => m.sendStatus === 5 && index < m.sendSuccess;

/** A request as a route sees it: the query (GET) or the JSON body (POST). */
export interface RouteInput {
  query: URLSearchParams;
  body: Record<string, unknown>;
}

const sendStatus = (ctx: RouteContext, { query: q }: RouteInput): string => {
  const m = visible(ctx, q.get('RefId'), SEVEN_DAYS_MS);
  if (!m) return dotnetJson({ CodeResponse: '105', SMSID: q.get('RefId') ?? '' });
  return dotnetJson({ CodeResponse: '100', SMSID: m.smsId, ...totals(m) });
};

const receiverStatus = (ctx: RouteContext, { query: q }: RouteInput): string => {
  const m = visible(ctx, q.get('RefId'), SEVEN_DAYS_MS);
  if (!m) return codeOnly('GetSmsReceiverStatus_get', 105, 'SMSID not found');
  const ReceiverList = m.phones.map((Phone, i) => ({
    IsSent: m.sendStatus === 5 || m.sendStatus === 7, NetworkName: NETWORK[m.telcoId ?? 1] ?? 'Unknown', Phone, Retry: 0, SentResult: succeeded(m, i),
  }));
  return dotnetJson({ CodeResult: '100', ReceiverList });
};

const vnTime = (text: unknown): number =>
  typeof text === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? Date.parse(`${text.replace(' ', 'T')}Z`) - VN_OFFSET_MS : NaN;

const sentData = (ctx: RouteContext, { body }: RouteInput): string => {
  const [from, to, type] = [vnTime(body.From), vnTime(body.To), Number(body.SmsType)];
  const page = Number(body.Page);
  const size = Math.min(500, Number(body.PageSize));
  if ([from, to].some(Number.isNaN) || !(page >= 1) || !(size >= 1)) return codeOnly('GetSmsSentData_V2', 210, 'Invalid parameters');
  const messages = ctx.truth.all()
    .filter((m) => m.typeId === type && m.sentTimeMs >= from && m.sentTimeMs <= to)
    .sort((a, b) => a.sentTimeMs - b.sentTimeMs || (a.smsId < b.smsId ? -1 : 1));
  const rows = messages.flatMap((m, n) => m.phones.map((Phone, i) => ({
    Campaign: m.campaign ?? '', Content: '', Phone, ReferenceId: m.smsId,
    SellPrice: raw(fromE4(toE4(m.totalPrice) / Math.max(1, m.phones.length))),
    SendResult: m.sendStatus === 5 ? Number(succeeded(m, i)) : m.sendStatus === 4 ? 0 : 2,
    SendStatus: m.sendStatus, SentTime: `/Date(${m.sentTimeMs}+0700)/`, SmsId: 29_000_000 + n, SmsType: m.typeId,
  })));
  const text = dotnetJson({ CodeResult: '100', CountTotal: rows.length, SentData: rows.slice((page - 1) * size, page * size) });
  if (!ctx.docSample) return text;
  // The doc's sample: no comma after CountTotal, `"SendStatus:5,` keys, no closing brace.
  return text.replace(/("CountTotal": \d+),/, '$1').replace(/"SendStatus": (\d+),/g, '"SendStatus:$1,').replace(/\}\s*$/, '');
};

/** The bare code QueryZnsStatus reports in `ErrorInfo`: null until final, else Zalo's `error` or eSMS's code. */
const znsErrorCode = (m: FakeMessage): string | null => {
  if (m.sendStatus !== 4 && m.sendStatus !== 5) return null;
  const code = /"error"\s*:\s*(-?\d+)/.exec(m.errorInfo ?? '')?.[1] ?? /^-?\d+$/.exec(m.errorInfo ?? '')?.[0];
  return code ?? (m.sendSuccess > 0 ? '0' : null);
};

const queryZnsStatus = (ctx: RouteContext, { body }: RouteInput): string => {
  if (!['24', '25'].includes(String(body.SmsType))) return codeOnly('QueryZnsStatus', 118, 'Unsupported SmsType');
  const m = visible(ctx, body.SmsId);
  if (!m) return codeOnly('QueryZnsStatus', 105, 'SMSID not found');
  const final = m.sendStatus === 4 || m.sendStatus === 5;
  const Data = { ErrorInfo: znsErrorCode(m), FinalStatus: final ? '1' : '0', SMSID: m.smsId, ...totals(m), ZaloMsgId: m.partnerIds ?? '' };
  return dotnetJson({ CodeResult: '100', Data });
};

const getCallback = (ctx: RouteContext, { body }: RouteInput): string => {
  if (!Array.isArray(body.ListRefid)) return codeOnly('GetCallback', 210, 'ListRefid is required');
  const oaId = typeof body.OAId === 'string' && body.OAId !== '' ? body.OAId : undefined;
  const found = body.ListRefid.slice(0, 200)
    .map((id) => visible(ctx, id))
    .filter((m): m is FakeMessage => m !== undefined && ZALO_TYPES.has(m.typeId) && (oaId === undefined || m.oaId === undefined || m.oaId === oaId));
  if (found.length === 0) return codeOnly('GetCallback', 854, 'No data');
  const Data_callback = found.map((m) => ({
    SMSID: m.smsId, ...totals(m), RequestId: m.requestId ?? null, TypeId: m.typeId, Telcoid: m.telcoId ?? null,
    PhoneNumber: m.phones[0] ?? '', CallbackUrl: 'https://callback.invalid/esms', Partnerids: m.partnerIds ?? '',
    ErrorInfo: m.errorInfo ?? '', OAId: m.oaId ?? '', ZnsTempId: m.templateId ?? '',
  }));
  return dotnetJson({ Code: 100, Message: 'Success', Data_callback });
};

export const ROUTES = {
  GetSendStatus: { method: 'GET', path: '/mainservice.svc/json/getsendstatus', answer: sendStatus },
  GetSmsReceiverStatus_get: { method: 'GET', path: '/mainservice.svc/json/getsmsreceiverstatus_get', answer: receiverStatus },
  GetSmsSentData_V2: { method: 'POST', path: '/mainservice.svc/json/getsmssentdata_v2', answer: sentData },
  QueryZnsStatus: { method: 'POST', path: '/mainservice.svc/json/queryznsstatus', answer: queryZnsStatus },
  GetCallback: { method: 'POST', path: '/zalocallback/getcallback', answer: getCallback },
} as const satisfies Record<Endpoint, { method: 'GET' | 'POST'; path: string; answer: (ctx: RouteContext, input: RouteInput) => string }>;
