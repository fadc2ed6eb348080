/**
 * The eSMS callback schema (docs/protocols.md §2.2). Entries are keyed by the parameter names as eSMS spells
 * them, so an issue's path names the field for the caller; the output is the typed `EsmsCallback`.
 */
import * as v from 'valibot';
import { SendStatusSchema, TypeIdSchema } from './channels';
import { decodeErrorInfo } from './error-info';

const INTEGER = /^\d{1,9}$/;
// Up to 11 integer digits keeps the 1/10000-VND count below 2^53, so it stays an exact number.
const PRICE = /^\d{1,11}(?:\.\d{1,4})?$/;
const NO_SPACE_OR_CONTROL = /^[^\s\p{Cc}\p{Cf}]*$/u;
/** `#` separates key parts (`T#<tenant>#M#<SMSID>`, `C#<phone>#<id>`): a value holding one could alias another item. */
const NO_KEY_SEPARATOR = /^[^#]*$/;

const received = (input: unknown): string => {
  const text = String(input);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
};

const code = <const T extends number>(field: string, schema: v.PicklistSchema<T[], undefined>) =>
  v.pipe(
    v.string(),
    v.check(
      (input) => INTEGER.test(input) && v.is(schema, Number(input)),
      (issue) => `unknown ${field} ${INTEGER.test(String(issue.input)) ? issue.input : received(issue.input)}; expected one of ${schema.options.join(', ')}`,
    ),
    v.transform(Number),
    schema,
  );

const count = (field: string) =>
  v.pipe(
    v.string(),
    v.regex(INTEGER, (issue) => `${field} must be a non-negative integer; received ${received(issue.input)}`),
    v.transform(Number),
  );

/** Exact count of 1/10000 VND from the digits, never through a float: '0.5' → 5000. */
const toPriceE4 = (price: string): number => {
  const [units = '0', decimals = ''] = price.split('.');
  return Number(units + decimals.padEnd(4, '0'));
};

/**
 * An optional text parameter with a length no real value comes near (ids are 15–40 characters): longer
 * means malformed, and a 400 naming the field keeps it out of the keys and items it would overflow.
 */
const optionalText = (field: string, max: number, keyPart = false) => v.optional(v.pipe(
  v.string(),
  v.maxLength(max, (issue) => `${field} is ${String(issue.input).length} characters; at most ${max} are accepted`),
  v.check((value) => !keyPart || NO_KEY_SEPARATOR.test(value), `${field} contains "#", which no real value does`),
  v.transform((value) => (value === '' ? undefined : value)),
));

/** Known parameters, keyed as eSMS spells them; names are matched case-insensitively on input. */
export const CallbackParamEntries = {
  SMSID: v.pipe(
    v.string(),
    v.minLength(1, 'SMSID is empty'),
    v.maxLength(64, (issue) => `SMSID is ${String(issue.input).length} characters; at most 64 are accepted`),
    v.regex(NO_SPACE_OR_CONTROL, 'SMSID contains whitespace or control characters'),
    v.regex(NO_KEY_SEPARATOR, 'SMSID contains "#", which no SMSID does'),
  ),
  SendStatus: code('SendStatus', SendStatusSchema),
  TypeId: code('TypeId', TypeIdSchema),
  TotalReceiver: count('TotalReceiver'),
  TotalSent: count('TotalSent'),
  SendSuccess: count('SendSuccess'),
  SendFailed: count('SendFailed'),
  TotalPrice: v.pipe(
    v.string(),
    v.regex(PRICE, (issue) => `TotalPrice must be a non-negative decimal with at most 4 decimals; received ${received(issue.input)}`),
    v.transform(toPriceE4),
  ),
  telcoid: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(?:\d{1,9})?$/, (issue) => `telcoid must be a non-negative integer; received ${received(issue.input)}`),
      v.transform((value) => (value === '' ? undefined : Number(value))),
    ),
  ),
  RequestId: optionalText('RequestId', 64),
  // A phone, a Zalo user id, or a SHA-256 of a phone (hash-phone sends): 64 covers them all.
  phonenumber: optionalText('phonenumber', 64, true),
  partnerids: optionalText('partnerids', 128),
  oaid: optionalText('oaid', 64),
  tempid: optionalText('tempid', 64),
  switchsmsid: optionalText('switchsmsid', 64),
  error_info: v.optional(v.pipe(
    v.string(),
    v.maxLength(2048, (issue) => `error_info is ${String(issue.input).length} characters; at most 2048 are accepted`),
    v.transform(decodeErrorInfo),
  )),
};

export const EsmsCallbackSchema = v.pipe(
  v.object(
    { ...CallbackParamEntries, extra: v.record(v.string(), v.string()) },
    (issue) => `${String(issue.path?.[0]?.key ?? 'query')} is required`,
  ),
  v.transform((p) => ({
    smsId: p.SMSID,
    sendStatus: p.SendStatus,
    typeId: p.TypeId,
    totalReceiver: p.TotalReceiver,
    totalSent: p.TotalSent,
    sendSuccess: p.SendSuccess,
    sendFailed: p.SendFailed,
    priceE4: p.TotalPrice,
    ...(p.RequestId !== undefined && { requestId: p.RequestId }),
    ...(p.telcoid !== undefined && { telcoId: p.telcoid }),
    ...(p.phonenumber !== undefined && { phone: p.phonenumber }),
    ...(p.partnerids !== undefined && { partnerIds: p.partnerids }),
    ...(p.oaid !== undefined && { oaId: p.oaid }),
    ...(p.tempid !== undefined && { templateId: p.tempid }),
    ...(p.switchsmsid !== undefined && { switchSmsId: p.switchsmsid }),
    ...(p.error_info !== undefined && { errorInfo: p.error_info }),
    extra: p.extra,
  })),
);

/** A parsed eSMS delivery callback. */
export type EsmsCallback = v.InferOutput<typeof EsmsCallbackSchema>;
