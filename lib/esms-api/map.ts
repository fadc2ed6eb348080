/**
 * eSMS pull answers → what the port promises. Totals become callback query strings with the names and
 * encoding of eSMS's GET callbacks (docs/protocols.md §2.2), so reconciliation reuses the callback parser;
 * `TotalPrice` keeps eSMS's digits so the parser counts exact 1/10,000 VND. Every mapper throws
 * `MalformedAnswerError` when a value it needs is missing or unusable.
 */
import { MalformedAnswerError } from '../errors';
import type { ReceiverStatusRow, SentDataRow } from '../reconcile/ports';
import type { Json, JsonObject } from './lenient-json';
import { bool, decimalText, dotnetDateMs, field, int, isObject, required, text } from './read';

type Pairs = Array<[name: string, value: string | number | undefined]>;

/** `name=value&…` with encodeURIComponent, as eSMS's callbacks are encoded; absent values are left out. */
export const toQuery = (pairs: Pairs): string =>
  pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');

const count = (o: JsonObject, name: string): number => {
  const value = required(int(o, name), name, 'an integer');
  if (value < 0) throw new MalformedAnswerError(`${name} is negative`);
  return value;
};

/** The totals every status answer carries, validated, in callback order. */
export const totalsOf = (o: JsonObject): { sendStatus: number; pairs: Pairs } => {
  const sendStatus = count(o, 'SendStatus');
  return {
    sendStatus,
    pairs: [
      ['SendStatus', sendStatus],
      ['SendSuccess', count(o, 'SendSuccess')],
      ['SendFailed', count(o, 'SendFailed')],
      ['TotalPrice', required(decimalText(o, 'TotalPrice'), 'TotalPrice', 'a non-negative decimal')],
      ['TotalReceiver', count(o, 'TotalReceiver')],
      ['TotalSent', count(o, 'TotalSent')],
    ],
  };
};

/** Guards against an answer about another message than the one asked about. */
export const checkSmsId = (o: JsonObject, asked: string): void => {
  const answered = text(o, 'SMSID');
  if (answered && answered !== asked) throw new MalformedAnswerError('SMSID of the answer differs from the one asked about');
};

const list = (o: JsonObject, name: string, absentIsEmpty: boolean): Json[] => {
  const value = field(o, name);
  if (Array.isArray(value)) return value;
  if ((value === undefined || value === null) && absentIsEmpty) return [];
  throw new MalformedAnswerError(`${name} is missing or not a list`);
};

const objects = (o: JsonObject, name: string, absentIsEmpty = false): JsonObject[] =>
  list(o, name, absentIsEmpty).map((row, index) => {
    if (!isObject(row)) throw new MalformedAnswerError(`${name}[${index}] is not an object`);
    return row;
  });

export const receiverRows = (body: JsonObject): ReceiverStatusRow[] =>
  objects(body, 'ReceiverList').map((row) => {
    const network = text(row, 'NetworkName');
    // Documented as a boolean (true sent, false failed); SendResult elsewhere is 1/0/2, accepted too.
    const result = bool(row, 'SentResult');
    return {
      phone: required(text(row, 'Phone'), 'Phone', 'text'),
      isSent: required(bool(row, 'IsSent'), 'IsSent', 'a boolean'),
      sentResult: result === undefined ? required(int(row, 'SentResult'), 'SentResult', 'a boolean or 0/1/2') : Number(result),
      ...(network && { network }),
    };
  });

export const sentDataPage = (body: JsonObject, smsType: number): { countTotal: number; rows: SentDataRow[] } => {
  const countTotal = count(body, 'CountTotal');
  const rows = objects(body, 'SentData', countTotal === 0).map((row): SentDataRow => {
    const campaign = text(row, 'Campaign');
    return {
      smsId: required(text(row, 'ReferenceId') || undefined, 'ReferenceId', 'an SMSID'),
      phone: required(text(row, 'Phone'), 'Phone', 'text'),
      sellPrice: Number(required(decimalText(row, 'SellPrice'), 'SellPrice', 'a non-negative decimal')),
      sendResult: required(int(row, 'SendResult'), 'SendResult', 'an integer'),
      sendStatus: required(int(row, 'SendStatus'), 'SendStatus', 'an integer'),
      sentTimeMs: required(dotnetDateMs(row, 'SentTime'), 'SentTime', 'a /Date(ms+0700)/ date'),
      smsType: int(row, 'SmsType') ?? smsType,
      ...(campaign && { campaign }),
    };
  });
  return { countTotal, rows };
};

/** GetCallback's `Data_callback` field → callback names (eSMS's own GET callback spelling). */
const CALLBACK_NAMES: Array<[callback: string, stored: string]> = [
  ['SMSID', 'SMSID'], ['SendStatus', 'SendStatus'], ['SendSuccess', 'SendSuccess'], ['SendFailed', 'SendFailed'],
  ['TotalPrice', 'TotalPrice'], ['TotalReceiver', 'TotalReceiver'], ['TotalSent', 'TotalSent'], ['RequestId', 'RequestId'],
  ['TypeId', 'TypeId'], ['telcoid', 'Telcoid'], ['phonenumber', 'PhoneNumber'], ['partnerids', 'Partnerids'],
  ['error_info', 'ErrorInfo'], ['oaid', 'OAId'], ['tempid', 'ZnsTempId'],
];

/**
 * Each stored callback as the query eSMS would have sent. Values are passed through as text (the
 * callback parser judges each row), so one odd row does not cost the other 199; only a row without an
 * SMSID, which nothing could be attributed to, makes the whole answer malformed.
 */
export const callbackRows = (body: JsonObject): Array<{ smsId: string; query: string }> =>
  objects(body, 'Data_callback', true).map((row) => {
    const smsId = required(text(row, 'SMSID') || undefined, 'Data_callback[].SMSID', 'an SMSID');
    const raw = (name: string): string | undefined => {
      const value = field(row, name);
      return typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : undefined;
    };
    return { smsId, query: toQuery(CALLBACK_NAMES.map(([callback, stored]) => [callback, callback === 'SMSID' ? smsId : raw(stored)])) };
  });
