import { esmsCallbackHandler } from '../lib/wiring/esms';

/** GET /esms/{token}/viber */
export const handler = esmsCallbackHandler('viber');
