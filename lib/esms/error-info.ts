/**
 * Decoding of eSMS `error_info` (docs/protocols.md §2.5). eSMS passes Zalo's result through in several
 * encodings; none of them may make a callback fail, so decoding never throws and keeps `raw`.
 */
import * as v from 'valibot';

export const ErrorInfoShapeSchema = v.picklist(['json', 'json-string', 'double-encoded', 'json-with-trailer', 'code', 'text']);

export const ErrorInfoSchema = v.object({
  raw: v.string(),
  shape: ErrorInfoShapeSchema,
  /** The `error` field, or the bare code: 0 success, negative Zalo codes, 4-digit eSMS codes. */
  code: v.optional(v.number()),
  message: v.optional(v.string()),
  success: v.optional(v.boolean()),
  data: v.optional(v.unknown()),
  trailer: v.optional(v.string()),
  /** The `____dd/MM/yyyy HH:mm:ss` suffix, read as Vietnam time (UTC+7). */
  at: v.optional(v.string()),
  zaloMsgId: v.optional(v.string()),
  zaloUserId: v.optional(v.string()),
  deliveryStatus: v.optional(v.picklist([-1, 0, 1])),
  deliveredAt: v.optional(v.number()),
});
export type ErrorInfo = v.InferOutput<typeof ErrorInfoSchema>;

const ENCODED_JSON = /^%(?:7B|22|5B)/i;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const SUFFIX = /____(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/(\d{4})[ T]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;
const MAX_EXTRA_DECODES = 2;

// Real messages contain literal `%` ("100%"), so a malformed run is left as it is, not an error.
// A raw `+` can only be a form-encoded space here: a real `+` would still be `%2B` at this layer.
const decodeLeniently = (text: string): string =>
  text.replaceAll('+', ' ').replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });

const toIso = ([, day, month, year, hour, minute, second]: RegExpExecArray): string =>
  `${year}-${month}-${day}T${hour}:${minute}:${second}+07:00`;

type Json = { ok: true; value: unknown } | { ok: false };
const tryJson = (text: string): Json => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** End index of the balanced `{…}` that `text` starts with, honouring JSON strings and escapes. */
const leadingObjectEnd = (text: string): number | undefined => {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return undefined;
};

type Parsed = { value: unknown; wrapped: boolean; trailer?: string };
const parseJson = (body: string): Parsed | undefined => {
  const whole = tryJson(body);
  if (whole.ok && typeof whole.value === 'string') {
    const inner = tryJson(whole.value);
    return inner.ok ? { value: inner.value, wrapped: true } : undefined;
  }
  if (whole.ok) return { value: whole.value, wrapped: false };
  const end = body.startsWith('{') ? leadingObjectEnd(body) : undefined;
  const head = end === undefined ? undefined : tryJson(body.slice(0, end));
  return head?.ok ? { value: head.value, wrapped: false, trailer: body.slice(end) } : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const toInt = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) ? value
  : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value)
  : undefined;
// Zalo ids exceed 2^53: only strings are kept exactly; a numeric id is kept as the best we have.
const toId = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
const toDeliveryStatus = (value: unknown): -1 | 0 | 1 | undefined => {
  const status = toInt(value);
  return status === -1 || status === 0 || status === 1 ? status : undefined;
};

const fieldsOf = (value: unknown): Partial<ErrorInfo> => {
  if (!isRecord(value)) return Array.isArray(value) ? { data: value } : {};
  const code = toInt(value.error);
  const data = isRecord(value.data) ? value.data : {};
  const deliveredAt = toInt(data.delivery_time);
  return {
    code,
    message: typeof value.message === 'string' ? value.message : undefined,
    success: code === undefined ? undefined : code === 0,
    ...('data' in value && { data: value.data }),
    zaloMsgId: toId(data.msg_id) ?? toId(data.message_id),
    zaloUserId: toId(data.user_id),
    deliveryStatus: toDeliveryStatus(data.status),
    deliveredAt: deliveredAt !== undefined && deliveredAt >= 0 ? deliveredAt : undefined,
  };
};

const withoutUndefined = <T extends object>(value: T): T => {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
};

const decode = (raw: string): ErrorInfo => {
  let text = raw;
  let extraDecodes = 0;
  while (extraDecodes < MAX_EXTRA_DECODES && ENCODED_JSON.test(text)) {
    text = decodeLeniently(text);
    extraDecodes++;
  }
  const suffix = SUFFIX.exec(text);
  const at = suffix ? toIso(suffix) : undefined;
  const body = (suffix ? text.slice(0, suffix.index) : text).trim();
  const parsed = parseJson(body);
  if (typeof parsed?.value === 'number' && Number.isSafeInteger(parsed.value)) {
    return { raw, shape: 'code', code: parsed.value, success: parsed.value === 0, at };
  }
  if (!parsed || (!isRecord(parsed.value) && !Array.isArray(parsed.value))) return { raw, shape: 'text', at };
  const shape = extraDecodes > 0 ? 'double-encoded'
    : parsed.trailer !== undefined ? 'json-with-trailer'
    : parsed.wrapped ? 'json-string'
    : 'json';
  return { raw, shape, ...fieldsOf(parsed.value), trailer: parsed.trailer, at };
};

/**
 * Decodes a query-decoded `error_info` value; `undefined` for an empty one. Never throws: anything
 * unrecognised is `{ raw, shape: 'text' }`. A JSON array is kept as `data` (shape `json`).
 */
export function decodeErrorInfo(raw: string): ErrorInfo | undefined {
  if (raw === '') return undefined;
  try {
    return withoutUndefined(decode(raw));
  } catch {
    return { raw, shape: 'text' };
  }
}
