import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { vietnamDay } from '../time';
import { RequestError } from '../http/errors';
import { buildDailyReport, daysBetween, REPORT_DIMENSIONS, ReportBySchema } from '../reports/daily';
import type { CountersStore } from '../store/counters';
import { dayParam } from './read-api';

const MAX_DAYS = 93;

/** GET /api/reports/daily?from=YYYY-MM-DD&to=YYYY-MM-DD&by=channel|telco|status|oa|template */
export const dailyReport = (counters: Pick<CountersStore, 'readDay'>, now: () => number) => async (event: APIGatewayProxyEventV2) => {
  const today = vietnamDay(now());
  const from = dayParam(event, 'from', today);
  const to = dayParam(event, 'to', from);
  if (to < from) throw new RequestError(400, 'to', `to (${to}) is before from (${from})`);
  const days = daysBetween(from, to);
  if (days.length > MAX_DAYS) throw new RequestError(400, 'to', `at most ${MAX_DAYS} days per request`);
  const byText = event.queryStringParameters?.by ?? 'channel';
  const by = v.safeParse(ReportBySchema, byText);
  if (!by.success) throw new RequestError(400, 'by', `by must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  const items = (await Promise.all(days.map((day) => counters.readDay(day)))).flat();
  return { from, to, by: by.output, ...buildDailyReport(items, by.output) };
};
