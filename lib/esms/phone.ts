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

/**
 * A value a sender encoded once more than the query needed (`%2B84%20901%20888%20484` once decoded) or
 * with `+` for its spaces (`+84+901+888+484`), as it reads decoded.
 */
const decodedSpelling = (input: string): string => {
  let text = input;
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(text); i += 1) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return text.replace(/(?<=.)\+/g, ' ');
};

/**
 * The one form a phone is indexed and searched by; `undefined` for an empty input. A value that is a
 * number only once decoded (see `decodedSpelling`) is that number: erasure must find it under its
 * number, not under the spelling it was sent in.
 */
export const normalisePhone = (input: string): string | undefined => {
  const plain = normaliseSpelling(input);
  if (plain === undefined || /^\d+$/.test(plain)) return plain;
  const decoded = decodedSpelling(input);
  const again = decoded === input ? undefined : normaliseSpelling(decoded);
  return again !== undefined && /^\d+$/.test(again) ? again : plain;
};

const normaliseSpelling = (input: string): string | undefined => {
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

/** What may separate the digits of a number in a text: spaces, dots, dashes, brackets, slashes, plus signs, and their (repeated) %-encodings. */
const GAP = String.raw`(?:[\s.\-()/+]|%(?:25)*(?:20|2[bBdDeEfF89]))*`;
/** A `+` (or `%2B`, `%252B`) or `00` before a country code. */
const INTERNATIONAL = String.raw`(?:\+|%(?:25)*2[bB]|00)`;

const spaced = (digits: string): string => [...digits].join(GAP);

/**
 * Every occurrence of the number inside a text (a raw query, a rejected request, a Zalo body), in any
 * spelling: its national significant number, digits separated or not by spaces, dots, dashes, brackets or
 * their %-encodings, optionally after `0`, `84`, `+84`, `(+84)`, `0084` or `%2B84%20`; never part of a
 * longer run of digits. A number of another country (kept as its E.164 digits) the same way, after an
 * optional `+` or `00`.
 */
export const phonePattern = (normalised: string): RegExp => {
  if (!/^\d+$/.test(normalised)) return new RegExp(escape(normalised), 'gi');
  const vietnamese = /^84\d{9,10}$/.test(normalised);
  const prefix = vietnamese
    ? String.raw`(?:\(?${GAP}(?:${INTERNATIONAL}${GAP})?84${GAP}\)?${GAP}|0${GAP})?`
    : String.raw`(?:${INTERNATIONAL}${GAP})?`;
  return new RegExp(String.raw`(?<!(?<!%(?:25)*[0-9A-Fa-f]?)\d)(?<!%)${prefix}${spaced(vietnamese ? normalised.slice(2) : normalised)}(?!${GAP.slice(0, -1)}?\d)`, 'gi');
};

/** Fewest digits a number of another country may have (E.164 numbers run 8 to 15). */
const MIN_FOREIGN_DIGITS = 8;

/**
 * The number erasure accepts (DELETE /api/recipients/{phone}), normalised, or undefined: a Vietnamese
 * number in any spelling (`0901888484`, `84901888484`, `+84 901 888 484`, `0901.888.484`, `+84+901+888+484`:
 * a `+` after the first character is a form-encoded space), or another country's number written
 * internationally (`+1 415 555 0100`, `0014155550100`: 8 to 15 digits). Anything else (`1`, a word, a Zalo
 * user id) is refused: erasing it would rewrite every text that happens to hold it.
 */
export const erasablePhone = (spelled: string): string | undefined => {
  const input = spelled.replace(/(?<=.)\+/g, ' ');
  const normalised = normalisePhone(input);
  if (normalised === undefined) return undefined;
  if (/^84\d{9,10}$/.test(normalised)) return normalised;
  const compact = input.replace(SEPARATORS, '');
  const international = /^(?:\+|00)\d+$/.test(compact);
  return international && /^[1-9]\d+$/.test(normalised) && normalised.length >= MIN_FOREIGN_DIGITS && normalised.length <= 15 ? normalised : undefined;
};

/**
 * The Vietnamese numbers a text holds as a whole run of digits (`84…`, `+84…`, `0…`), normalised: what a Zalo
 * body names. A run inside hex (Zalo's message ids are hex) is not a number: its neighbours are no hex digit.
 */
export const phonesIn = (text: string): string[] =>
  [...new Set([...text.matchAll(/(?<![\dA-Fa-f])(?:\+?84|0)[1-9]\d{8,9}(?![\dA-Fa-f])/g)].map((match) => normalisePhone(match[0])!))].filter((phone) => /^84\d{9,10}$/.test(phone));
