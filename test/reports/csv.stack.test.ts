/**
 * `format=csv` (lib/api/csv.ts): RFC 4180 cells, formula injection neutralised, and, through the local
 * HTTP stack, a report's CSV holding exactly its JSON rows.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../lib/api/csv';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { esmsUrl, getJson, readApi, useStack, API_KEY } from '../support/stack';

/** RFC 4180 reader for the answers (quoted fields may hold commas, quotes and line breaks). */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (char === '"') quoted = false; else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { row.push(cell); cell = ''; } else if (char === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
};

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'], ['Tin nhắn đã gửi', 'Tin nhắn đã gửi'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'], ['+84901888484', '\'+84901888484'], ['-1', '\'-1'], ['@SUM(A1)', '\'@SUM(A1)'], ['\tx', '\'\tx'],
  ])('%j is written %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes numbers and booleans as they are (a negative amount stays a number), null and undefined as empty', () => {
    expect([csvCell(-12.5), csvCell(0), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual(['-12.5', '0', 'true', '', '']);
  });

  it('starts with a BOM, ends every line with CRLF, and reads back to the same cells', () => {
    const text = toCsv(['a', 'b'], [{ a: 'x,y', b: 'line\r\nbreak' }, { a: 'Đà Nẵng', b: 3 }]);
    expect(text.startsWith('\uFEFFa,b\r\n')).toBe(true);
    expect(parseCsv(text.slice(1))).toEqual([['a', 'b'], ['x,y', 'line\r\nbreak'], ['Đà Nẵng', '3']]);
  });
});

describe('GET /api/reports/daily?format=csv', () => {
  const stack = useStack();

  it.each(['channel', 'status', 'telco', 'oa', 'template'])('by=%s: the CSV rows are the JSON rows, cell for cell', async (by) => {
    const run = `${by}-${Date.now()}`;
    const sends = [
      callbackQuery({ smsId: `${run}-1`, typeId: 25, status: 5, sent: 1, success: 1, price: '300.0000', telco: 2, phone: '0901888484', oa: '=cmd|oa', template: 'tpl,1' }),
      callbackQuery({ smsId: `${run}-2`, typeId: 2, status: 4, telco: 1, phone: '0901888485' }),
      callbackQuery({ smsId: `${run}-3`, typeId: 23, status: 5, sent: 1, success: 1, price: '470.0000', telco: 3, phone: '0901888486' }),
    ];
    for (const [i, query] of sends.entries()) expect((await getJson(esmsUrl(stack(), ['zns', 'sms', 'viber'][i]!, query))).status).toBe(200);
    await stack().poller!.drain();
    const day = vietnamDay(Date.now());
    const json = await readApi<{ rows: Array<Record<string, unknown>> }>(stack(), `/api/reports/daily?from=${day}&by=${by}`);
    const response = await fetch(`${stack().url}/api/reports/daily?from=${day}&by=${by}&format=csv`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('x-next-cursor')).toBeNull();
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(body.subarray(3).toString('utf8'));
    expect(json.body.rows.length).toBeGreaterThan(0);
    const fromCsv = rows.map((cells) => Object.fromEntries(header!.map((column, i) => [column, cells[i]!])));
    // The JSON rows with every value written as the CSV writes it (a formula-like text gets its apostrophe).
    const expected = json.body.rows.map((row) => Object.fromEntries(header!.map((column) => {
      const value = column.startsWith('zalo.') ? (row.zalo as Record<string, unknown> | undefined)?.[column.slice(5)] : row[column];
      if (value === undefined || value === null) return [column, ''];
      return [column, typeof value === 'string' && /^[=+\-@]/.test(value) ? `'${value}` : String(value)];
    })));
    expect(fromCsv).toEqual(expected);
    expect(header!.slice(0, 9)).toEqual(['day', 'group', 'label', 'requests', 'receivers', 'sent', 'success', 'failed', 'price']);
  }, 30_000);

  it('format=xlsx is a 400 naming format', async () => {
    const answer = await readApi<{ error: { field: string } }>(stack(), '/api/reports/daily?format=xlsx');
    expect([answer.status, answer.body.error.field]).toEqual([400, 'format']);
  });
});
