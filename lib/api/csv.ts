/**
 * CSV answers (RFC 4180) for `format=csv`: UTF-8 with a BOM so spreadsheets read Vietnamese text
 * correctly, CRLF line ends, fields quoted when they hold a quote, comma or line break, and the next
 * page's cursor in `X-Next-Cursor`.
 *
 * Text cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading apostrophe:
 * spreadsheets would run them as formulas (CSV injection), and a callback's fields come from outside.
 * Numbers are written as numbers, so a negative amount stays a number.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestError } from '../errors';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A handler's answer that is not the read API's JSON (the read API passes it through as it is). */
export class RawAnswer {
  constructor(readonly response: APIGatewayProxyStructuredResultV2) {}
}

export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Nested objects become dotted columns (`totals.sent`); arrays stay one JSON cell. */
export const flattenRow = (row: Record<string, unknown>, prefix = ''): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(flattenRow(value as Record<string, unknown>, `${prefix}${key}.`))
      : [[`${prefix}${key}`, value]]));

/** `first` columns in their order, then any other column in the order rows first show it. */
export const columnsOf = (rows: Array<Record<string, unknown>>, first: readonly string[]): string[] => {
  const columns = new Set(first);
  for (const row of rows) for (const column of Object.keys(row)) columns.add(column);
  return [...columns];
};

export const toCsv = (columns: readonly string[], rows: Array<Record<string, unknown>>): string =>
  `${BOM}${[columns.map(csvCell).join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))].join('\r\n')}\r\n`;

/** `format=csv` or `format=json` (the default); anything else is a 400 naming `format`. */
export const wantsCsv = (event: APIGatewayProxyEventV2): boolean => {
  const format = event.queryStringParameters?.format ?? 'json';
  if (format !== 'csv' && format !== 'json') throw new RequestError(400, 'format', 'format must be json or csv');
  return format === 'csv';
};

export const csvAnswer = (filename: string, columns: readonly string[], rows: Array<Record<string, unknown>>, next?: string): RawAnswer =>
  new RawAnswer({
    statusCode: 200,
    headers: {
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${filename}.csv"`,
      'cache-control': 'no-store',
      ...(next !== undefined && { 'x-next-cursor': next }),
    },
    body: toCsv(columns, rows),
  });
