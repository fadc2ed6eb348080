import { esmsMessageHandler } from '../lib/wiring/api';

/** GET /api/esms/messages/{smsid} */
export const handler = esmsMessageHandler;
