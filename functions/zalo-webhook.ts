import { zaloWebhookHandler } from '../lib/wiring/zalo';

/** POST /zalo/webhook */
export const handler = zaloWebhookHandler;
