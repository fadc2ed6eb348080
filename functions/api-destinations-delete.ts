import { deleteHandler } from '../lib/wiring/destinations';

/** DELETE /api/destinations/{id} */
export const handler = deleteHandler;
