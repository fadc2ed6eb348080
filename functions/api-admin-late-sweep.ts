import { lateSweepAdminHandler } from '../lib/wiring/operations';

/** POST /api/admin/late-sweep */
export const handler = lateSweepAdminHandler;
