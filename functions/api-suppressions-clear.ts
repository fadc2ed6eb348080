import { clearHandler } from '../lib/wiring/suppressions';

/** DELETE /api/suppressions/{phone} */
export const handler = clearHandler;
