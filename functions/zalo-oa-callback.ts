import { oaCallbackHandler } from '../lib/wiring/onboarding';

/** GET /zalo/oa-callback?oa_id&code&state (the OA Callback Url registered with Zalo) */
export const handler = oaCallbackHandler;
