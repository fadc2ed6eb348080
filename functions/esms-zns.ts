import { esmsCallbackHandler } from '../lib/wiring/esms';

/** GET /esms/{token}/zns */
export const handler = esmsCallbackHandler('zns');
