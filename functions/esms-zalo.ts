import { esmsCallbackHandler } from '../lib/wiring/esms';

/** GET /esms/{token}/zalo */
export const handler = esmsCallbackHandler('zalo');
