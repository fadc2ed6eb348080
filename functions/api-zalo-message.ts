import { zaloMessageHandler } from '../lib/wiring/zalo';

/** GET /api/zalo/messages/{msgId} */
export const handler = zaloMessageHandler;
