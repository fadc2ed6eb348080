/**
 * Field readers over a leniently read eSMS answer. eSMS spells names inconsistently (`Telcoid`,
 * `TelcoId`; `CodeResult`, `CodeResponse`, `Code`) and writes numbers as strings or as literals, so names
 * are matched case-insensitively and every scalar is read from its text. A missing or unusable
 * required value throws `MalformedAnswerError`, naming the field (never a value: values may be phones).
 */
import { MalformedAnswerError } from '../errors';
import type { Json, JsonObject } from './lenient-json';

export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of `name` in `object`, matched exactly first, then case-insensitively. */
export const field = (object: JsonObject, name: string): Json | undefined => {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
};

/** The scalar's text; `null`, absent and non-scalars are `undefined`. */
export const text = (object: JsonObject, name: string): string | undefined => {
  const value = field(object, name);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return String(value);
  return undefined;
};

export const required = <T>(value: T | undefined, name: string, what: string): T => {
  if (value === undefined) throw new MalformedAnswerError(`${name} is missing or not ${what}`);
  return value;
};

const INTEGER = /^-?\d{1,15}$/;
/** An integer, written as a literal or a string. */
export const int = (object: JsonObject, name: string): number | undefined => {
  const value = text(object, name);
  return value !== undefined && INTEGER.test(value) ? Number(value) : undefined;
};

const DECIMAL = /^\d{1,15}(?:\.\d+)?$/;
/** A non-negative decimal, kept as eSMS wrote it (`470.0000` stays `470.0000`). */
export const decimalText = (object: JsonObject, name: string): string | undefined => {
  const value = text(object, name);
  return value !== undefined && DECIMAL.test(value) ? value : undefined;
};

/** `true`/`false` in any case, or 1/0, as a literal or a string. */
export const bool = (object: JsonObject, name: string): boolean | undefined => {
  const value = text(object, name)?.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
};

const DOTNET_DATE = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;
/**
 * A WCF JSON date, `/Date(<ms>+0700)/`: the number is epoch milliseconds (UTC) and the offset only says
 * which zone the server was in. An ISO 8601 text with an explicit zone is accepted too.
 */
export const dotnetDateMs = (object: JsonObject, name: string): number | undefined => {
  const value = text(object, name);
  if (value === undefined) return undefined;
  const match = DOTNET_DATE.exec(value);
  if (match) return Number(match[1]);
  if (!/^\d{4}-\d{2}-\d{2}T.*(?:Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The answer's result code, whichever of `CodeResult`, `CodeResponse` or `Code` it uses. */
export const resultCode = (object: JsonObject): string | undefined =>
  text(object, 'CodeResult') ?? text(object, 'CodeResponse') ?? text(object, 'Code');

/** eSMS's own explanation, if any. */
export const resultMessage = (object: JsonObject): string | undefined =>
  text(object, 'ErrorMessage') || text(object, 'Message') || undefined;
