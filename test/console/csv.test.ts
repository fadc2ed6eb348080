/**
 * The console's CSV download neutralises cells a spreadsheet would run as formulas, as the server's CSV
 * does (lib/api/csv.ts): a group label is an OA or template id a callback sent, so it comes from outside.
 */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../console/src/csv';

const cells = (csv: string) => csv.slice(1).trimEnd().split('\r\n').map((line) => line.split(','));

describe('console CSV', () => {
  it.each(['=HYPERLINK("http://x")', '+1+cmd', '-2+3', '@SUM(A1)', '\tleading tab', '\rleading return'])('a cell starting a formula (%j) gets a leading apostrophe', (value) => {
    const csv = toCsv([['group'], [value]]);
    expect(csv).toContain(`'${value.replaceAll('"', '""')}`);
    expect(csv).not.toMatch(/(^|[,\n])"?[=+\-@\t\r]/);
  });

  it('numbers as the table shows them (vi-VN, negative included) stay numbers; text and quoting are unchanged', () => {
    expect(cells(toCsv([['1.234', '-5', '-1.234\u00a0₫', 'ZNS (25)', 'a,b']]))).toEqual([['1.234', '-5', '-1.234\u00a0₫', 'ZNS (25)', '"a', 'b"']]);
    expect(toCsv([['x']]).startsWith('\uFEFF')).toBe(true);
  });
});
