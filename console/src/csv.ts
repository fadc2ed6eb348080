/**
 * CSV of exactly the cells shown (UTF-8 with a BOM so a spreadsheet reads Vietnamese text correctly).
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, as
 * in the server's CSV (lib/api/csv.ts): a spreadsheet would run it as a formula, and group labels (OA and
 * template ids) come from callbacks. A number as the table shows it (vi-VN, `-1.234 ₫`) stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const SHOWN_NUMBER = /^-[\d.,]+(?:[\s\u00a0]?₫)?$/u;

const neutralised = (value: string): string => (FORMULA_START.test(value) && !SHOWN_NUMBER.test(value) ? `'${value}` : value);

const cell = (value: string): string => {
  const safe = neutralised(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const toCsv = (rows: string[][]): string => `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
