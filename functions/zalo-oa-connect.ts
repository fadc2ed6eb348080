import { oaConnectHandler } from '../lib/wiring/onboarding';

/** GET /zalo/oa-connect?app_id=… (redirect to Zalo's OA consent page) */
export const handler = oaConnectHandler;
