import { lateSweepSchedule } from '../lib/wiring/operations';

/** Hourly: marks `expired` the messages with no final status after LATE_REPORT_HOURS. */
export const handler = lateSweepSchedule;
