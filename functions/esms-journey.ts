import { esmsCallbackHandler } from '../lib/wiring/esms';

/** GET /esms/{token}/journey */
export const handler = esmsCallbackHandler('journey');
