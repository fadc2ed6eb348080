import { esmsCallbackHandler } from '../lib/wiring/esms';

/** GET /esms/{token}/sms */
export const handler = esmsCallbackHandler('sms');
