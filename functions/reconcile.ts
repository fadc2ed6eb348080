import { reconcileSchedule } from '../lib/wiring/operations';

/** Hourly: asks eSMS about messages without a final status and finds SMSIDs never called back. */
export const handler = reconcileSchedule;
