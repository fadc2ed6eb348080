import { tokenRefreshHandler } from '../lib/wiring/onboarding';

/** Hourly: refresh the OA tokens that expire within the next hours. */
export const handler = tokenRefreshHandler;
