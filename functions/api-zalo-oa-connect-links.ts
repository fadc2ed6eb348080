import { connectLinkHandler } from '../lib/wiring/oa-links';

/** POST /api/zalo/oa-connect-links (a tenant's single-use link for an OA admin to connect an OA) */
export const handler = connectLinkHandler;
