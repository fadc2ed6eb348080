import { eraseRecipientHandler } from '../lib/wiring/api';

/** DELETE /api/recipients/{phone} */
export const handler = eraseRecipientHandler;
