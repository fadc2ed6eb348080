import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { buildDailyReport, REPORT_DIMENSIONS, REPORT_METRICS, ReportBySchema } from '../reports/daily';
import type { CounterReader } from '../reports/ports';
import { vietnamDay } from '../time';
import type { AnswerBody } from './answers';
import type { RawAnswer } from './csv';
import { columnsOf, csvAnswer, flattenRow, wantsCsv } from './csv';
import { pageList, pageTwoLists } from './paging';
import { dayRangeParams, listParams, type Caller } from './read-api';

/** A report's CSV columns (by=oa adds one `zalo.<family>` column per Zalo event family seen). */
export const REPORT_CSV_COLUMNS = ['day', 'group', 'label', ...REPORT_METRICS];

const rowKey = (row: { day: string; group: string }) => `${row.day}|${row.group}`;
const zaloKey = (row: { day: string; oa: string }) => `${row.day}|${row.oa}`;

/**
 * GET /api/reports/daily?from=YYYY-MM-DD&to=YYYY-MM-DD&by=channel|telco|status|outcome|oa|template[&limit=&next=][&format=csv]:
 * a page holds up to `limit` rows, the eSMS rows (by day, then group) before the Zalo rows (by day, then
 * OA); the CSV holds the eSMS rows, its cursor in `X-Next-Cursor`.
 */
export const dailyReport = (counters: CounterReader, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'DailyReport'> | RawAnswer> => {
  const { from, to, days } = dayRangeParams(event, vietnamDay(now()));
  const byText = event.queryStringParameters?.by ?? 'channel';
  const by = v.safeParse(ReportBySchema, byText);
  if (!by.success) throw new RequestError(400, 'by', `by must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  const csv = wantsCsv(event);
  const { limit, next } = listParams(event);
  const items = (await Promise.all(days.map((day) => counters.readDay(caller.tenant, day)))).flat();
  const report = buildDailyReport(items, by.output);
  if (!csv) {
    const page = pageTwoLists({ items: report.rows, keyOf: rowKey }, { items: report.zalo, keyOf: zaloKey }, limit, next);
    return { from, to, by: by.output, rows: page.first, zalo: page.second, ...(page.next !== undefined && { next: page.next }) };
  }
  const page = pageList(report.rows, rowKey, limit, next);
  const rows = page.items.map((row) => flattenRow(row));
  return csvAnswer(`report-${from}-${to}-by-${by.output}`, columnsOf(rows, REPORT_CSV_COLUMNS), rows, page.next);
};
