import { dailyReportHandler } from '../lib/wiring/api';

/** GET /api/reports/daily */
export const handler = dailyReportHandler;
