import { reconcileAdminHandler } from '../lib/wiring/operations';

/** POST /api/admin/reconcile */
export const handler = reconcileAdminHandler;
