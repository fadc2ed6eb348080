import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { buildDailyReport, REPORT_DIMENSIONS, REPORT_METRICS, ReportBySchema } from '../reports/daily';
import type { CounterReader } from '../reports/ports';
import { vietnamDay } from '../time';
import { columnsOf, csvAnswer, flattenRow, wantsCsv } from './csv';
import { dayRangeParams, type Caller } from './read-api';

/** A report's CSV columns (by=oa adds one `zalo.<family>` column per Zalo event family seen). */
export const REPORT_CSV_COLUMNS = ['day', 'group', 'label', ...REPORT_METRICS];

/** GET /api/reports/daily?from=YYYY-MM-DD&to=YYYY-MM-DD&by=channel|telco|status|oa|template[&format=csv]: CSV holds the JSON's rows. */
export const dailyReport = (counters: CounterReader, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const { from, to, days } = dayRangeParams(event, vietnamDay(now()));
  const byText = event.queryStringParameters?.by ?? 'channel';
  const by = v.safeParse(ReportBySchema, byText);
  if (!by.success) throw new RequestError(400, 'by', `by must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  const csv = wantsCsv(event);
  const items = (await Promise.all(days.map((day) => counters.readDay(caller.tenant, day)))).flat();
  const report = buildDailyReport(items, by.output);
  if (!csv) return { from, to, by: by.output, ...report };
  const rows = report.rows.map((row) => flattenRow(row));
  return csvAnswer(`report-${from}-${to}-by-${by.output}`, columnsOf(rows, REPORT_CSV_COLUMNS), rows);
};
