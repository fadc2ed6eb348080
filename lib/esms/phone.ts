/**
 * One spelling per phone number, so `0901888484`, `84901888484`, `+84 901 888 484` and `(+84) 901-888-484`
 * find the same messages. Vietnamese numbers become `84` + the national significant number (E.164
 * without `+`); anything else eSMS puts in `phonenumber` (a Zalo user id, a SHA-256 of a phone for
 * hash-phone sends) is kept as sent, lower-cased, so it is still searchable by exactly that value.
 */

/** Separators people type inside a number. */
const SEPARATORS = /[\s().\-/]/g;
/** A national significant number: 9 digits for mobiles, 9–10 for landlines (after the 0 or 84). */
const NSN = /^[1-9]\d{8,9}$/;

/** The one form a phone is indexed and searched by; `undefined` for an empty input. */
export const normalisePhone = (input: string): string | undefined => {
  const compact = input.replace(SEPARATORS, '').toLowerCase();
  if (compact === '') return undefined;
  const digits = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : compact;
  if (!/^\d+$/.test(digits)) return compact;
  if (digits.startsWith('84') && NSN.test(digits.slice(2))) return digits;
  if (digits.startsWith('0') && NSN.test(digits.slice(1))) return `84${digits.slice(1)}`;
  if (digits.length === 9 && NSN.test(digits)) return `84${digits}`;
  return compact.startsWith('+') ? digits : compact;
};

/** The spellings a normalised number may be stored in as a whole value (sort keys, `ph` fields). */
export const phoneSpellings = (normalised: string): string[] => {
  if (!/^84\d{9,10}$/.test(normalised)) return [normalised];
  const national = normalised.slice(2);
  return [normalised, `0${national}`, `+${normalised}`, national];
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every occurrence of the number inside a text (a raw query, a rejected request), in any spelling:
 * each contains the national significant number, optionally after `0`, `84`, `+84` or `%2B84`, and is not
 * part of a longer run of digits.
 */
export const phonePattern = (normalised: string): RegExp => {
  if (!/^84\d{9,10}$/.test(normalised)) return new RegExp(escape(normalised), 'gi');
  return new RegExp(`(?<!\\d)(?:(?:%2B|\\+)?84|0)?${normalised.slice(2)}(?!\\d)`, 'gi');
};
