import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { buildDailyReport, REPORT_DIMENSIONS, ReportBySchema } from '../reports/daily';
import type { CounterReader } from '../reports/ports';
import { vietnamDay } from '../time';
import { dayRangeParams, type Caller } from './read-api';

/** GET /api/reports/daily?from=YYYY-MM-DD&to=YYYY-MM-DD&by=channel|telco|status|oa|template */
export const dailyReport = (counters: CounterReader, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const { from, to, days } = dayRangeParams(event, vietnamDay(now()));
  const byText = event.queryStringParameters?.by ?? 'channel';
  const by = v.safeParse(ReportBySchema, byText);
  if (!by.success) throw new RequestError(400, 'by', `by must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  const items = (await Promise.all(days.map((day) => counters.readDay(caller.tenant, day)))).flat();
  return { from, to, by: by.output, ...buildDailyReport(items, by.output) };
};
