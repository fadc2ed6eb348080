import { esmsSearchHandler } from '../lib/wiring/api';

/** GET /api/esms/messages?phone=|requestId=|day= */
export const handler = esmsSearchHandler;
