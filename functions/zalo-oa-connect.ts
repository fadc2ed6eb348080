import { oaConnectHandler } from '../lib/wiring/onboarding';

/** GET /zalo/oa-connect?link=… (a tenant's single-use link; redirect to Zalo's OA consent page) */
export const handler = oaConnectHandler;
